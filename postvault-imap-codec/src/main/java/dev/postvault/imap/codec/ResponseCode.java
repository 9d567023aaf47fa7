package dev.postvault.imap.codec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Response codes in brackets (RFC 9051 §7.1 resp-text-code and extensions).
 * {@link ImapResponseWriter} renders them; {@link Other} covers anything not listed.
 */
public sealed interface ResponseCode {

    /** Codes without arguments, with their wire names. */
    enum Simple implements ResponseCode {
        ALERT("ALERT"),
        PARSE("PARSE"),
        READ_ONLY("READ-ONLY"),
        READ_WRITE("READ-WRITE"),
        TRYCREATE("TRYCREATE"),
        UIDNOTSTICKY("UIDNOTSTICKY"),
        NOMODSEQ("NOMODSEQ"),
        CLOSED("CLOSED"),
        TOOBIG("TOOBIG"),
        OVERQUOTA("OVERQUOTA"),
        NONEXISTENT("NONEXISTENT"),
        ALREADYEXISTS("ALREADYEXISTS"),
        SERVERBUG("SERVERBUG"),
        CLIENTBUG("CLIENTBUG"),
        CANNOT("CANNOT"),
        LIMIT("LIMIT"),
        INUSE("INUSE"),
        EXPUNGEISSUED("EXPUNGEISSUED"),
        UNAVAILABLE("UNAVAILABLE"),
        AUTHENTICATIONFAILED("AUTHENTICATIONFAILED"),
        AUTHORIZATIONFAILED("AUTHORIZATIONFAILED"),
        EXPIRED("EXPIRED"),
        PRIVACYREQUIRED("PRIVACYREQUIRED"),
        CONTACTADMIN("CONTACTADMIN"),
        NOPERM("NOPERM"),
        CORRUPTION("CORRUPTION"),
        HASCHILDREN("HASCHILDREN"),
        UNKNOWN_CTE("UNKNOWN-CTE"),
        COMPRESSIONACTIVE("COMPRESSIONACTIVE"),
        USEATTR("USEATTR"),
        NOTSAVED("NOTSAVED");

        private final String wireName;

        Simple(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** CAPABILITY capabilities... */
    record Capability(List<String> capabilities) implements ResponseCode {
        public Capability {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** PERMANENTFLAGS (flags...), e.g. "\Seen", "\*". */
    record PermanentFlags(List<String> flags) implements ResponseCode {
        public PermanentFlags {
            flags = List.copyOf(flags);
        }
    }

    record UidNext(long uid) implements ResponseCode {
    }

    record UidValidity(long uidValidity) implements ResponseCode {
    }

    /** UNSEEN n (RFC 3501 only). */
    record Unseen(long sequenceNumber) implements ResponseCode {
    }

    /** APPENDUID uidvalidity uid-set (RFC 4315). */
    record AppendUid(long uidValidity, SequenceSet uids) implements ResponseCode {
        public AppendUid {
            Objects.requireNonNull(uids);
        }
    }

    /** COPYUID uidvalidity source-uids destination-uids (RFC 4315). */
    record CopyUid(long uidValidity, SequenceSet sourceUids, SequenceSet destinationUids) implements ResponseCode {
        public CopyUid {
            Objects.requireNonNull(sourceUids);
            Objects.requireNonNull(destinationUids);
        }
    }

    /** HIGHESTMODSEQ n (RFC 7162). */
    record HighestModSeq(long modSeq) implements ResponseCode {
    }

    /** MODIFIED set (RFC 7162). */
    record Modified(SequenceSet set) implements ResponseCode {
        public Modified {
            Objects.requireNonNull(set);
        }
    }

    /** BADCHARSET (charsets...); the list may be empty. */
    record BadCharset(List<String> supported) implements ResponseCode {
        public BadCharset {
            supported = List.copyOf(supported);
        }
    }

    /** MAILBOXID (objectid) (RFC 8474). */
    record MailboxId(String objectId) implements ResponseCode {
        public MailboxId {
            Objects.requireNonNull(objectId);
        }
    }

    /**
     * Any other code: {@code name} is an atom, {@code argument} raw text without "]" or line breaks.
     */
    record Other(String name, Optional<String> argument) implements ResponseCode {
        public Other {
            Objects.requireNonNull(name);
            Objects.requireNonNull(argument);
        }
    }
}
