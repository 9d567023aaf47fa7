package dev.postvault.mime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One MIME entity of a stored message, with absolute byte offsets into the message's raw bytes.
 *
 * <p>{@code [headerStart, headerEnd)} is the entity's header including the empty line that ends it
 * (IMAP {@code BODY[n.MIME]}, or {@code BODY[HEADER]} for a message); {@code [bodyStart, bodyEnd)} is
 * its body ({@code BODY[n]}). For a child of a multipart, {@code bodyEnd} excludes the line break that
 * precedes the next boundary delimiter, which belongs to the delimiter (RFC 2046 §5.1.1).
 *
 * <p>Header-derived fields follow BODYSTRUCTURE (RFC 3501 §7.4.2): {@code contentId},
 * {@code contentDescription}, {@code contentMd5} and {@code location} are the raw unfolded values;
 * {@code params} and {@link Disposition#params()} have lower-cased names and RFC 2231-decoded values
 * (encoded-words inside parameter values are left as they are).
 *
 * <p>A multipart has {@code children} (possibly none, when no boundary delimiter was found or the
 * nesting limit was reached: an IMAP server then reports an empty text/plain child). A message/rfc822
 * or message/global part has {@code encapsulated} unless it was transfer-encoded (forbidden by
 * RFC 2046 §5.2.1) or beyond the nesting limit.
 *
 * @param bodyLines number of lines in the body: LF count, plus one if the body is non-empty and does not
 *                  end with LF (IMAP body-fld-lines)
 * @param contentTransferEncoding lower-cased, {@code 7bit} when absent (RFC 2045 §6.1)
 */
public record MimePart(
        int headerStart,
        int headerEnd,
        int bodyStart,
        int bodyEnd,
        int bodyLines,
        ContentType contentType,
        Map<String, String> params,
        Optional<String> contentId,
        Optional<String> contentDescription,
        String contentTransferEncoding,
        Optional<String> contentMd5,
        Optional<Disposition> disposition,
        List<String> language,
        Optional<String> location,
        List<MimePart> children,
        Optional<MessageStructure> encapsulated) {

    public MimePart {
        if (headerStart < 0 || headerEnd < headerStart || bodyStart != headerEnd || bodyEnd < bodyStart) {
            throw new IllegalArgumentException("bad part offsets " + headerStart + "/" + headerEnd + "/"
                    + bodyStart + "/" + bodyEnd);
        }
        if (bodyLines < 0) throw new IllegalArgumentException("negative bodyLines");
        Objects.requireNonNull(contentType, "contentType");
        params = copyParams(params);
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(contentDescription, "contentDescription");
        Objects.requireNonNull(contentTransferEncoding, "contentTransferEncoding");
        Objects.requireNonNull(contentMd5, "contentMd5");
        Objects.requireNonNull(disposition, "disposition");
        language = List.copyOf(language);
        Objects.requireNonNull(location, "location");
        children = List.copyOf(children);
        Objects.requireNonNull(encapsulated, "encapsulated");
    }

    /** Size of the header in octets, including the terminating empty line. */
    public int headerSizeOctets() {
        return headerEnd - headerStart;
    }

    /** Size of the body in octets as stored (still transfer-encoded): IMAP body-fld-octets. */
    public int bodySizeOctets() {
        return bodyEnd - bodyStart;
    }

    /** Whole entity, header plus body. */
    public int totalSizeOctets() {
        return bodyEnd - headerStart;
    }

    public boolean isMultipart() {
        return contentType.isMultipart();
    }

    /** The charset parameter, or {@code us-ascii} for text parts without one (RFC 2046 §4.1.2). */
    public Optional<String> charset() {
        String cs = params.get("charset");
        if (cs != null && !cs.isBlank()) return Optional.of(cs.trim());
        return contentType.isText() ? Optional.of("us-ascii") : Optional.empty();
    }

    /** Disposition filename, else the (deprecated but common) Content-Type {@code name} parameter. */
    public Optional<String> filename() {
        return disposition.flatMap(Disposition::filename).or(() -> Optional.ofNullable(params.get("name")));
    }

    static Map<String, String> copyParams(Map<String, String> params) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }
}
