package dev.postvault.mime;

import java.util.Locale;
import java.util.Objects;

/**
 * A MIME media type without parameters (RFC 2045 §5.1), both halves lower-cased. Parameters live on
 * {@link MimePart#params()} so they keep their order and RFC 2231 decoding.
 */
public record ContentType(String type, String subtype) {
    /** RFC 2045 §5.2: the default for a missing or syntactically invalid Content-Type. */
    public static final ContentType TEXT_PLAIN = new ContentType("text", "plain");
    /** RFC 2046 §5.1.5: the default inside multipart/digest. */
    public static final ContentType MESSAGE_RFC822 = new ContentType("message", "rfc822");

    public ContentType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subtype, "subtype");
        type = type.toLowerCase(Locale.ROOT);
        subtype = subtype.toLowerCase(Locale.ROOT);
    }

    /** {@code type/subtype}, e.g. {@code text/plain}. */
    public String mimeType() {
        return type + "/" + subtype;
    }

    public boolean isMultipart() {
        return type.equals("multipart");
    }

    public boolean isText() {
        return type.equals("text");
    }

    /**
     * True for message/rfc822 and message/global (RFC 6532 §3.7): the body is itself a message, and IMAP
     * BODYSTRUCTURE and part numbering descend into it (RFC 3501 §6.4.5, §7.4.2).
     */
    public boolean isEncapsulatedMessage() {
        return type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
    }

    public boolean is(String type, String subtype) {
        return this.type.equalsIgnoreCase(type) && this.subtype.equalsIgnoreCase(subtype);
    }

    @Override
    public String toString() {
        return mimeType();
    }
}
