package dev.postvault.mime;

import java.util.Objects;
import java.util.Optional;

/**
 * One element of an IMAP ENVELOPE address list (RFC 3501 §7.4.2): a mailbox, or one of the two markers
 * that bracket an RFC 5322 group ({@code name: a@b, c@d;}). The {@code imap*} accessors give the four
 * fields of the IMAP address structure, where empty means NIL.
 */
public sealed interface EnvelopeAddress {

    /** addr-name: the raw display name (encoded-words not decoded), NIL for group markers. */
    Optional<String> imapName();

    /** addr-adl: the obsolete source route, e.g. {@code @a.test,@b.test}. */
    Optional<String> imapAdl();

    /** addr-mailbox: local part; for a group start the group name; NIL for a group end. */
    Optional<String> imapMailbox();

    /** addr-host: domain; NIL marks group syntax (RFC 3501 §7.4.2). */
    Optional<String> imapHost();

    /**
     * An individual mailbox. {@code mailbox} and {@code host} may be empty strings when the source had no
     * local part or no domain (never NIL, which would read as group syntax).
     *
     * @param name raw display name: quotes and comments removed, encoded-words kept (RFC 2047 §5)
     * @param adl  obsolete route (RFC 5322 §4.4 obs-route), without the trailing colon
     */
    record Mailbox(Optional<String> name, Optional<String> adl, String mailbox, String host)
            implements EnvelopeAddress {
        public Mailbox {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(adl, "adl");
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(host, "host");
        }

        /** {@code mailbox@host}, or just {@code mailbox} when there is no host. */
        public String address() {
            return host.isEmpty() ? mailbox : mailbox + "@" + host;
        }

        /** Display name with RFC 2047 encoded-words decoded, for search, sort and display. */
        public Optional<String> decodedName() {
            return name.map(Envelope::decodeWords);
        }

        @Override public Optional<String> imapName() { return name; }
        @Override public Optional<String> imapAdl() { return adl; }
        @Override public Optional<String> imapMailbox() { return Optional.of(mailbox); }
        @Override public Optional<String> imapHost() { return Optional.of(host); }
    }

    /** Start of a group: IMAP {@code (NIL NIL "name" NIL)}. */
    record GroupStart(String groupName) implements EnvelopeAddress {
        public GroupStart {
            Objects.requireNonNull(groupName, "groupName");
        }

        /** Group name with RFC 2047 encoded-words decoded. */
        public String decodedGroupName() {
            return Envelope.decodeWords(groupName);
        }

        @Override public Optional<String> imapName() { return Optional.empty(); }
        @Override public Optional<String> imapAdl() { return Optional.empty(); }
        @Override public Optional<String> imapMailbox() { return Optional.of(groupName); }
        @Override public Optional<String> imapHost() { return Optional.empty(); }
    }

    /** End of a group: IMAP {@code (NIL NIL NIL NIL)}. */
    record GroupEnd() implements EnvelopeAddress {
        @Override public Optional<String> imapName() { return Optional.empty(); }
        @Override public Optional<String> imapAdl() { return Optional.empty(); }
        @Override public Optional<String> imapMailbox() { return Optional.empty(); }
        @Override public Optional<String> imapHost() { return Optional.empty(); }
    }
}
