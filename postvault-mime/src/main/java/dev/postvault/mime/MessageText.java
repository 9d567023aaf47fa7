package dev.postvault.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Plain text of a message for the full-text index: decoded header values (subject; display names and
 * addresses of From, To, Cc, Bcc), then the text of every text/plain and text/html part in document
 * order, transfer-decoded and charset-decoded, HTML reduced to text. Descends into multiparts and
 * encapsulated messages (whose headers are included too). Other media types are skipped.
 */
public final class MessageText {
    private MessageText() {}

    /**
     * Extracts at most {@code maxChars} characters. Chunks are separated by a line break.
     *
     * @throws IllegalArgumentException if {@code maxChars} is negative
     */
    public static String extract(byte[] raw, MessageStructure structure, int maxChars) {
        return extractText(raw, structure, maxChars).text();
    }

    /** Extracted text, and whether the budget cut it short (then there may be more than {@code text}). */
    public record Text(String text, boolean truncated) {}

    /** As {@link #extract}, saying whether the budget ran out. */
    public static Text extractText(byte[] raw, MessageStructure structure, int maxChars) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(structure, "structure");
        if (maxChars < 0) throw new IllegalArgumentException("maxChars < 0");
        Sink sink = new Sink(maxChars);
        message(raw, structure, sink);
        return new Text(sink.text.toString(), sink.exhausted);
    }

    /**
     * Only the body's text: the decoded text parts (and the headers and text of attached messages),
     * without the top-level header values. What IMAP SEARCH BODY looks at (RFC 9051 §6.4.4).
     */
    public static String body(byte[] raw, MessageStructure structure, int maxChars) {
        Sink sink = new Sink(maxChars);
        part(raw, structure.root(), sink);
        return sink.text.toString();
    }

    private static void message(byte[] raw, MessageStructure m, Sink sink) {
        Envelope e = m.envelope();
        e.decodedSubject().ifPresent(sink::add);
        for (List<EnvelopeAddress> list : List.of(e.from(), e.to(), e.cc(), e.bcc())) {
            for (EnvelopeAddress a : list) {
                if (sink.full()) return;
                switch (a) {
                    case EnvelopeAddress.Mailbox mb -> {
                        mb.decodedName().ifPresent(sink::add);
                        sink.add(mb.address());
                    }
                    case EnvelopeAddress.GroupStart g -> sink.add(g.decodedGroupName());
                    case EnvelopeAddress.GroupEnd g -> { }
                }
            }
        }
        part(raw, m.root(), sink);
    }

    private static void part(byte[] raw, MimePart p, Sink sink) {
        if (sink.full()) return;
        if (p.encapsulated().isPresent()) {
            message(raw, p.encapsulated().get(), sink);
        } else if (p.isMultipart()) {
            for (MimePart c : p.children()) part(raw, c, sink);
        } else if (p.contentType().is("text", "plain") || p.contentType().is("text", "html")) {
            if (p.bodyEnd() > raw.length) return; // structure does not belong to these bytes
            String text = decodeCharset(TransferEncoding.decode(raw, p), p.charset());
            sink.add(p.contentType().subtype().equals("html") ? HtmlText.toText(text) : text);
        }
    }

    /**
     * Decodes text in the declared charset (RFC 2046 §4.1.2), with replacement characters for malformed
     * input. Without a usable charset (absent, us-ascii with 8-bit bytes, or unknown), the bytes are read
     * as UTF-8 if valid, else as ISO-8859-1, which cannot fail.
     */
    public static String decodeCharset(byte[] bytes, Optional<String> charsetName) {
        Charset cs = charsetName.flatMap(MessageText::lookup).orElse(null);
        if (cs == null || cs.equals(StandardCharsets.US_ASCII)) return utf8OrLatin1(bytes);
        try {
            // The String constructor replaces malformed and unmappable input as a REPLACE decoder
            // does, on the JDK's fast paths for UTF-8 and single-byte charsets.
            return new String(bytes, cs);
        } catch (RuntimeException e) {
            return utf8OrLatin1(bytes);
        }
    }

    private static Optional<Charset> lookup(String name) {
        String n = name.strip();
        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) n = n.substring(1, n.length() - 1).strip();
        if (n.isEmpty()) return Optional.empty();
        try {
            return Optional.ofNullable(CharsetUtil.lookup(n));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String utf8OrLatin1(byte[] bytes) {
        // Decoded on the fast path first; only a text holding U+FFFD can be malformed (or hold a real
        // replacement character), and only that one is checked strictly.
        String fast = new String(bytes, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) return fast;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Accumulates chunks up to the character budget. */
    private static final class Sink {
        final StringBuilder text = new StringBuilder();
        final int maxChars;
        boolean exhausted;

        Sink(int maxChars) {
            this.maxChars = maxChars;
            this.exhausted = maxChars == 0;
        }

        boolean full() {
            return exhausted;
        }

        void add(String chunk) {
            String c = chunk.strip();
            if (c.isEmpty() || exhausted) return;
            int separator = text.isEmpty() ? 0 : 1;
            int room = maxChars - text.length() - separator;
            if (room <= 0) {
                exhausted = true;
                return;
            }
            if (separator == 1) text.append('\n');
            if (c.length() >= room) {
                int cut = room;
                // never split a surrogate pair
                if (Character.isHighSurrogate(c.charAt(cut - 1))) cut--;
                text.append(c, 0, cut);
                exhausted = true;
            } else {
                text.append(c);
            }
        }
    }
}
