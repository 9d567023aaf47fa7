package dev.postvault.imap.render;

import dev.postvault.imap.codec.Section;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MimePart;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Cuts BODY[section] out of a raw message (RFC 9051 §6.4.5 "BODY[&lt;section&gt;]&lt;&lt;partial&gt;&gt;"). */
public final class SectionExtractor {
    private SectionExtractor() {}

    /** The section's bytes; a section that does not exist yields empty bytes, as common servers do. */
    public static byte[] extract(byte[] raw, MessageStructure message, Section section) {
        Target t = resolve(message, section.part());
        if (t == null) return new byte[0];
        return switch (section.specifier()) {
            case Section.Specifier.Entire ignored -> section.part().isEmpty() ? raw : slice(raw, t.part.bodyStart(), t.part.bodyEnd());
            case Section.Specifier.Mime ignored -> slice(raw, t.part.headerStart(), t.part.headerEnd());
            case Section.Specifier.Header ignored -> t.message == null ? new byte[0]
                    : slice(raw, t.message.root().headerStart(), t.message.root().headerEnd());
            case Section.Specifier.Text ignored -> t.message == null ? new byte[0]
                    : slice(raw, t.message.root().bodyStart(), t.message.root().bodyEnd());
            case Section.Specifier.HeaderFields f -> t.message == null ? new byte[0]
                    : headerFields(raw, t.message.root(), f.fieldNames(), f.not());
        };
    }

    /** Applies {@code <origin.length>}: an origin past the end yields empty bytes (RFC 9051 §6.4.5). */
    public static byte[] partial(byte[] data, long origin, long length) {
        if (origin >= data.length) return new byte[0];
        long end = Math.min(data.length, origin + length);
        return Arrays.copyOfRange(data, (int) origin, (int) end);
    }

    /**
     * The part a path names, and the message whose HEADER/TEXT apply there: the top-level message for
     * an empty path, the encapsulated message of a message/rfc822 part otherwise.
     */
    private record Target(MimePart part, MessageStructure message) {}

    private static Target resolve(MessageStructure message, List<Integer> path) {
        if (path.isEmpty()) return new Target(message.root(), message);
        Optional<MimePart> p = message.part(path.stream().mapToInt(Integer::intValue).toArray());
        if (p.isEmpty()) return null;
        return new Target(p.get(), p.get().encapsulated().orElse(null));
    }

    private static byte[] slice(byte[] raw, int from, int to) {
        return Arrays.copyOfRange(raw, Math.min(from, raw.length), Math.min(to, raw.length));
    }

    /**
     * HEADER.FIELDS / HEADER.FIELDS.NOT: the matching fields in their original order and bytes
     * (continuation lines included), followed by the blank line that ends a header (RFC 9051 §6.4.5).
     */
    static byte[] headerFields(byte[] raw, MimePart root, List<String> names, boolean not) {
        return headerFields(raw, root.headerStart(), Math.min(root.headerEnd(), raw.length), names, not);
    }

    /**
     * HEADER.FIELDS / HEADER.FIELDS.NOT of a header block that is all of {@code header} (the mailbox's
     * header cache); {@code wanted} is {@link #fieldSet} of the names, made once for many messages.
     */
    public static byte[] headerFields(byte[] header, FieldSet wanted, boolean not) {
        return headerFields(header, 0, header.length, wanted, not);
    }

    /** The field names of HEADER.FIELDS as {@link #headerFields} compares them. */
    public static FieldSet fieldSet(List<String> names) {
        return new FieldSet(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new));
    }

    /**
     * Field names compared without allocating: a header's name bytes read as ISO-8859-1, whitespace
     * around them dropped and lowered as {@code toLowerCase(Locale.ROOT)} lowers them, against names
     * already lowered. A first sync runs this for every field of every message (a header of 10,000
     * messages holds some 200,000 fields); building a lower-cased String for each was a third of
     * the server's work in a HEADER.FIELDS fetch of them.
     */
    public static final class FieldSet {
        private final String[] names;

        private FieldSet(String[] names) {
            this.names = names;
        }

        boolean contains(byte[] raw, int from, int to) {
            while (from < to && Character.isWhitespace((char) (raw[from] & 0xff))) from++;
            while (to > from && Character.isWhitespace((char) (raw[to - 1] & 0xff))) to--;
            outer:
            for (String n : names) {
                if (n.length() != to - from) continue;
                for (int i = 0; i < n.length(); i++) {
                    if (Character.toLowerCase((char) (raw[from + i] & 0xff)) != n.charAt(i)) continue outer;
                }
                return true;
            }
            return false;
        }
    }

    private static byte[] headerFields(byte[] raw, int start, int end, List<String> names, boolean not) {
        return headerFields(raw, start, end, fieldSet(names), not);
    }

    private static byte[] headerFields(byte[] raw, int start, int end, FieldSet wanted, boolean not) {
        var out = new ByteArrayOutputStream(256);
        int i = start;
        while (i < end) {
            int fieldStart = i;
            int lineEnd = lineEnd(raw, i, end);
            if (lineEnd - fieldStart <= 2 && isBlank(raw, fieldStart, lineEnd)) break; // the empty line
            // A field runs until the next line that does not start with whitespace.
            i = lineEnd;
            while (i < end && (raw[i] == ' ' || raw[i] == '\t')) i = lineEnd(raw, i, end);
            int colon = indexOf(raw, (byte) ':', fieldStart, i);
            if (colon >= 0 && wanted.contains(raw, fieldStart, colon) != not) out.write(raw, fieldStart, i - fieldStart);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static int lineEnd(byte[] raw, int from, int end) {
        for (int i = from; i < end; i++) if (raw[i] == '\n') return i + 1;
        return end;
    }

    private static boolean isBlank(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) if (raw[i] != '\r' && raw[i] != '\n') return false;
        return true;
    }

    private static int indexOf(byte[] raw, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (raw[i] == b) return i;
        return -1;
    }
}
