package dev.postvault.mime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * IMAP ENVELOPE of a message (RFC 3501 §7.4.2, RFC 9051 §7.5.2), in the protocol's field order.
 *
 * <p>{@code date}, {@code subject}, {@code inReplyTo} and {@code messageId} are the raw header values,
 * unfolded and with leading whitespace removed, encoded-words NOT decoded: exactly what ENVELOPE
 * returns. Empty means the header is absent (NIL). When a header occurs more than once the first wins.
 *
 * <p>Address lists hold {@link EnvelopeAddress} values with group markers. {@code sender} and
 * {@code replyTo} already carry the RFC 3501 default: when the header is absent or has no addresses,
 * they equal {@code from}.
 */
public record Envelope(
        Optional<String> date,
        Optional<String> subject,
        List<EnvelopeAddress> from,
        List<EnvelopeAddress> sender,
        List<EnvelopeAddress> replyTo,
        List<EnvelopeAddress> to,
        List<EnvelopeAddress> cc,
        List<EnvelopeAddress> bcc,
        Optional<String> inReplyTo,
        Optional<String> messageId) {

    /** The envelope of a message without any header. */
    public static final Envelope EMPTY = new Envelope(Optional.empty(), Optional.empty(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());

    public Envelope {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(subject, "subject");
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** Subject with RFC 2047 encoded-words decoded, for search, sort and display. */
    public Optional<String> decodedSubject() {
        return subject.map(Envelope::decodeWords);
    }

    /**
     * The Date header as an instant: RFC 5322 §3.3 syntax including the obsolete forms of §4.3 (two-digit
     * years, alphabetic zones, comments and whitespace between tokens); other shapes go to mime4j's
     * lenient date parser. Empty if absent, unparsable, or an impossible date such as 31 Feb.
     */
    public Optional<Instant> parsedDate() {
        return date.flatMap(Envelope::parseDate);
    }

    static Optional<Instant> parseDate(String value) {
        String v = value.strip();
        return v.isEmpty() ? Optional.empty() : DateParser.parse(v);
    }

    /** Decodes RFC 2047 encoded-words; returns the input when decoding fails. */
    static String decodeWords(String raw) {
        if (!raw.contains("=?")) return raw;
        try {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return raw;
        }
    }
}
