package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The text a HEADER search key (and SUBJECT, FROM, TO, CC, BCC, RFC 9051 §6.4.4) compares for one
 * field of a message: every value of the field, decoded, and for address fields also each parsed
 * address as "Name &lt;user@domain&gt;" (so comments and quoting in the raw header do not hide
 * "user@domain", as Dovecot and Cyrus behave). The values are joined by NUL, which no search string
 * holds, so a match never spans two of them.
 *
 * <p>For the fields clients search most ({@link #STORED}: the address fields and Subject of search
 * boxes and quick filters, and Message-ID, by which clients find a message they refer to) the
 * mailbox keeps this text beside each
 * message, and a search reads one column for the whole folder instead of every header.
 */
public final class SearchFields {
    /** The fields whose search text the mailbox stores, in lower case. */
    public static final List<String> STORED = List.of("subject", "from", "to", "cc", "bcc", "message-id");

    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "to", "cc", "bcc", "sender", "reply-to");

    private SearchFields() {}

    /**
     * The search text of {@code field} (any case) in a message's top-level header; empty when there is
     * nothing to compare. For the {@link #STORED} fields that is exactly when the message has no such
     * field (the addresses come from it), which is what an empty search string asks.
     */
    public static Optional<String> text(byte[] header, Envelope envelope, String field) {
        List<String> all = new ArrayList<>(Headers.decoded(header, field));
        all.addAll(addresses(field, envelope));
        return all.isEmpty() ? Optional.empty() : Optional.of(String.join("\0", all));
    }

    private static List<String> addresses(String field, Envelope e) {
        String f = field.toLowerCase(Locale.ROOT);
        if (!ADDRESS_FIELDS.contains(f)) return List.of();
        List<EnvelopeAddress> list = switch (f) {
            case "from" -> e.from();
            case "to" -> e.to();
            case "cc" -> e.cc();
            case "bcc" -> e.bcc();
            case "sender" -> e.sender();
            default -> e.replyTo();
        };
        List<String> out = new ArrayList<>();
        for (EnvelopeAddress a : list) {
            if (a instanceof EnvelopeAddress.Mailbox mb) out.add(mb.decodedName().map(nm -> nm + " <" + mb.address() + ">").orElse(mb.address()));
        }
        return out;
    }
}
