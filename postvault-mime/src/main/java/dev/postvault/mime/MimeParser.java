package dev.postvault.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Splits a raw message into its MIME tree with absolute byte offsets (RFC 5322 §2.1, RFC 2045,
 * RFC 2046 §5). A total function: any byte sequence yields a structure, never an exception.
 *
 * <p>Leniency rules, in one place:
 * <ul>
 *   <li>Lines end with CRLF or bare LF; a lone CR is an ordinary byte.</li>
 *   <li>A header ends at the first empty line or at the end of its range. Lines inside it that are
 *       neither fields nor continuations are skipped, except that such a line at the very start means
 *       the entity has no header and its body starts there.</li>
 *   <li>A boundary delimiter line is {@code "--" boundary} followed by only spaces/tabs (RFC 2046
 *       §5.1.1 transport padding); a close delimiter is {@code "--" boundary "--"} followed by
 *       anything. Only the multipart's own boundary is searched inside its own body range, so an inner
 *       multipart that lacks its close delimiter simply ends where its enclosing part ends.</li>
 *   <li>A missing close delimiter: the last part runs to the end of the multipart's body.</li>
 *   <li>A multipart without a boundary parameter, or without any delimiter line, has no children.</li>
 *   <li>Containers (multipart, message/rfc822, message/global) nested deeper than the limit are kept
 *       as opaque leaves: no children, no encapsulated message.</li>
 *   <li>message/rfc822 with a base64 or quoted-printable transfer encoding (forbidden by RFC 2046
 *       §5.2.1) is not descended into.</li>
 * </ul>
 */
public final class MimeParser {
    /** Default limit on nested containers. */
    public static final int DEFAULT_MAX_DEPTH = 50;
    /** Largest accepted limit; keeps the recursive descent far from the thread's stack size. */
    public static final int MAX_DEPTH_LIMIT = 200;

    private final byte[] raw;
    private final int maxDepth;

    private MimeParser(byte[] raw, int maxDepth) {
        this.raw = raw;
        this.maxDepth = maxDepth;
    }

    /** Parses with the default nesting limit of {@value #DEFAULT_MAX_DEPTH}. Never throws for any input. */
    public static MessageStructure parse(byte[] raw) {
        return parse(raw, DEFAULT_MAX_DEPTH);
    }

    /**
     * Parses {@code raw}. {@code maxDepth} is how many container levels are opened: 0 keeps even a
     * multipart root as a leaf; with the default 50, parts at nesting depth 50 are leaves.
     *
     * @throws IllegalArgumentException only for a {@code maxDepth} outside [0, {@value #MAX_DEPTH_LIMIT}]
     */
    public static MessageStructure parse(byte[] raw, int maxDepth) {
        Objects.requireNonNull(raw, "raw");
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxDepth must be in [0, " + MAX_DEPTH_LIMIT + "]: " + maxDepth);
        }
        try {
            return parseUnguarded(raw, maxDepth);
        } catch (RuntimeException | StackOverflowError bug) {
            // Defensive only: the splitter is written not to fail. Degrade to an unstructured message.
            return opaque(raw);
        }
    }

    /** Same as {@link #parse(byte[], int)} without the last-resort guard; tests use it to see bugs. */
    static MessageStructure parseUnguarded(byte[] raw, int maxDepth) {
        return new MimeParser(raw, maxDepth).message(0, raw.length, 0);
    }

    private MessageStructure message(int start, int end, int depth) {
        HeaderBlock header = HeaderBlock.scan(raw, start, end);
        MimePart root = part(header, end, depth, ContentType.TEXT_PLAIN);
        return new MessageStructure(root, EnvelopeParser.parse(header));
    }

    private MimePart entity(int start, int end, int depth, ContentType defaultType) {
        return part(HeaderBlock.scan(raw, start, end), end, depth, defaultType);
    }

    private MimePart part(HeaderBlock header, int end, int depth, ContentType defaultType) {
        MimeFields.TypeAndParams tp = MimeFields.contentType(header.first("content-type"), defaultType);
        String cte = MimeFields.transferEncoding(header.first("content-transfer-encoding"));
        int bodyStart = header.end();
        List<MimePart> children = List.of();
        Optional<MessageStructure> encapsulated = Optional.empty();
        if (depth < maxDepth) {
            if (tp.type().isMultipart()) {
                String boundary = tp.params().get("boundary");
                // RFC 2046 §5.1.5: in a digest, the default content type of body parts is message/rfc822.
                ContentType childDefault = tp.type().subtype().equals("digest")
                        ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
                if (boundary != null && !boundary.isEmpty()) {
                    children = multipart(bodyStart, end, boundary.getBytes(StandardCharsets.UTF_8), depth + 1,
                            childDefault);
                }
            } else if (tp.type().isEncapsulatedMessage() && isIdentity(cte)) {
                encapsulated = Optional.of(message(bodyStart, end, depth + 1));
            }
        }
        return new MimePart(header.start(), bodyStart, bodyStart, end, countLines(raw, bodyStart, end),
                tp.type(), tp.params(),
                header.firstNonBlank("content-id").map(String::strip),
                header.firstNonBlank("content-description").map(String::strip),
                cte,
                header.firstNonBlank("content-md5").map(String::strip),
                MimeFields.disposition(header.first("content-disposition")),
                MimeFields.language(header.first("content-language")),
                header.firstNonBlank("content-location").map(String::strip),
                children,
                encapsulated);
    }

    /** RFC 2046 §5.1.1: body parts lie between boundary delimiter lines. */
    private List<MimePart> multipart(int from, int to, byte[] boundary, int depth, ContentType childDefault) {
        List<MimePart> children = new ArrayList<>();
        int partStart = -1;
        int pos = from;
        while (pos < to) {
            int lineEnd = HeaderBlock.lineEnd(raw, pos, to);
            int kind = delimiterKind(pos, lineEnd, boundary);
            if (kind != NOT_DELIMITER) {
                if (partStart >= 0) {
                    // RFC 2046 §5.1.1: the CRLF preceding the boundary delimiter belongs to the delimiter.
                    children.add(entity(partStart, stripLineBreak(partStart, pos), depth, childDefault));
                }
                // RFC 2046 §5.1.1: the close delimiter ends the multipart; the rest is the epilogue.
                if (kind == CLOSE_DELIMITER) return children;
                partStart = lineEnd;
            }
            pos = lineEnd;
        }
        // No close delimiter (truncated message): the last part runs to the end of the multipart body.
        if (partStart >= 0) children.add(entity(partStart, to, depth, childDefault));
        return children;
    }

    private static final int NOT_DELIMITER = 0;
    private static final int DELIMITER = 1;
    private static final int CLOSE_DELIMITER = 2;

    private int delimiterKind(int lineStart, int lineEnd, byte[] boundary) {
        int contentEnd = HeaderBlock.contentEnd(raw, lineStart, lineEnd);
        int after = lineStart + 2 + boundary.length;
        if (after > contentEnd || raw[lineStart] != '-' || raw[lineStart + 1] != '-') return NOT_DELIMITER;
        for (int i = 0; i < boundary.length; i++) {
            if (raw[lineStart + 2 + i] != boundary[i]) return NOT_DELIMITER;
        }
        // RFC 2046 §5.1.1: close-delimiter := delimiter "--".
        if (after + 2 <= contentEnd && raw[after] == '-' && raw[after + 1] == '-') return CLOSE_DELIMITER;
        for (int i = after; i < contentEnd; i++) {
            // RFC 2046 §5.1.1: transport-padding := *LWSP-char after the boundary.
            if (raw[i] != ' ' && raw[i] != '\t') return NOT_DELIMITER;
        }
        return DELIMITER;
    }

    private int stripLineBreak(int partStart, int delimiterLineStart) {
        int e = delimiterLineStart;
        if (e > partStart && raw[e - 1] == '\n') {
            e--;
            if (e > partStart && raw[e - 1] == '\r') e--;
        }
        return e;
    }

    /** RFC 2046 §5.2.1: only 7bit, 8bit and binary are allowed for message/rfc822. */
    private static boolean isIdentity(String cte) {
        return cte.equals("7bit") || cte.equals("8bit") || cte.equals("binary");
    }

    /** Number of lines: LF count, plus one for a final line without LF. */
    static int countLines(byte[] raw, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (raw[i] == '\n') lines++;
        }
        if (to > from && raw[to - 1] != '\n') lines++;
        return lines;
    }

    private static MessageStructure opaque(byte[] raw) {
        MimePart root = new MimePart(0, 0, 0, raw.length, countLines(raw, 0, raw.length),
                new ContentType("application", "octet-stream"), Map.of(), Optional.empty(), Optional.empty(),
                "binary", Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(),
                Optional.empty());
        return new MessageStructure(root, Envelope.EMPTY);
    }
}
