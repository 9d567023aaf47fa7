package dev.postvault.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One header block located in a raw message: where it ends, and its fields as unfolded strings.
 *
 * <p>The header ends at the first empty line (included in the header), or at the end of the range. A
 * line that is neither a field (no colon) nor a continuation (leading WSP) is skipped as garbage, as
 * broken folding is common; only when it is the very first line is there no header at all, and the
 * body starts right there (a body part written without header and without the empty line).
 */
record HeaderBlock(int start, int end, List<Field> fields) {

    /** A header field: lower-cased name and the unfolded value with leading whitespace removed. */
    record Field(String name, String value) {}

    /** The value of the first field with that (lower-case) name. */
    Optional<String> first(String lowerName) {
        for (Field f : fields) {
            if (f.name().equals(lowerName)) return Optional.of(f.value());
        }
        return Optional.empty();
    }

    /** The value of the first field with that name, if it is present and not blank. */
    Optional<String> firstNonBlank(String lowerName) {
        return first(lowerName).filter(v -> !v.isBlank());
    }

    /** Scans the header that starts at {@code from}, never reading at or past {@code to}. */
    static HeaderBlock scan(byte[] raw, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int pos = from;
        int fieldStart = -1;
        int fieldEnd = -1;
        while (pos < to) {
            int lineEnd = lineEnd(raw, pos, to);
            int contentEnd = contentEnd(raw, pos, lineEnd);
            if (contentEnd == pos) {
                // RFC 5322 §2.1: the header is separated from the body by an empty line (CRLF, or bare LF).
                addField(raw, fieldStart, fieldEnd, fields);
                return new HeaderBlock(from, lineEnd, List.copyOf(fields));
            }
            byte b = raw[pos];
            if (b == ' ' || b == '\t') {
                // RFC 5322 §2.2.3: a line starting with WSP continues the previous field (folding).
                if (fieldStart >= 0) fieldEnd = lineEnd;
            } else if (indexOf(raw, pos, contentEnd, (byte) ':') < 0) {
                // Neither a field nor a continuation. As the first line: there is no header at all.
                if (pos == from) return new HeaderBlock(from, from, List.of());
                // Later: garbage inside the header (e.g. broken folding); skip it and what continues it.
                addField(raw, fieldStart, fieldEnd, fields);
                fieldStart = -1;
            } else {
                addField(raw, fieldStart, fieldEnd, fields);
                fieldStart = pos;
                fieldEnd = lineEnd;
            }
            pos = lineEnd;
        }
        addField(raw, fieldStart, fieldEnd, fields);
        return new HeaderBlock(from, to, List.copyOf(fields));
    }

    private static void addField(byte[] raw, int start, int end, List<Field> out) {
        if (start < 0) return;
        int colon = indexOf(raw, start, end, (byte) ':');
        int nameEnd = colon;
        // RFC 5322 §4.5.3 (obs-optional): whitespace is allowed between field name and colon.
        while (nameEnd > start && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) nameEnd--;
        if (nameEnd == start) return;
        for (int i = start; i < nameEnd; i++) {
            // RFC 5322 §3.6.8: field-name = 1*ftext, printable US-ASCII except colon.
            if (raw[i] < 33 || raw[i] > 126) return;
        }
        String name = new String(raw, start, nameEnd - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        out.add(new Field(name, unfold(raw, colon + 1, end)));
    }

    /**
     * Unfolds a field body: CRLF (or bare LF) followed by WSP is removed, keeping the WSP (RFC 5322
     * §2.2.3); a final line terminator and leading whitespace are dropped. Bytes are read as UTF-8 when
     * valid (RFC 6532 §3.2), else as ISO-8859-1 so no byte is lost.
     */
    static String unfold(byte[] raw, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        int n = 0;
        int i = from;
        while (i < to && (raw[i] == ' ' || raw[i] == '\t')) i++;
        for (; i < to; i++) {
            byte b = raw[i];
            if (b == '\r' && i + 1 < to && raw[i + 1] == '\n') continue;
            if (b == '\n') continue;
            if (b == '\r' && i + 1 == to) continue;
            out[n++] = b;
        }
        return decodeHeaderBytes(out, 0, n);
    }

    /** UTF-8 if the bytes are valid UTF-8 (RFC 6532), otherwise ISO-8859-1. */
    static String decodeHeaderBytes(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return new String(b, off, len, StandardCharsets.US_ASCII);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** Offset just after the LF ending the line that starts at {@code pos}, or {@code to}. */
    static int lineEnd(byte[] raw, int pos, int to) {
        int lf = indexOf(raw, pos, to, (byte) '\n');
        return lf < 0 ? to : lf + 1;
    }

    /** Offset of the line terminator (CRLF or LF) of the line [pos, lineEnd), or lineEnd if none. */
    static int contentEnd(byte[] raw, int pos, int lineEnd) {
        int e = lineEnd;
        if (e > pos && raw[e - 1] == '\n') {
            e--;
            if (e > pos && raw[e - 1] == '\r') e--;
        }
        return e;
    }

    static int indexOf(byte[] raw, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) return i;
        }
        return -1;
    }
}
