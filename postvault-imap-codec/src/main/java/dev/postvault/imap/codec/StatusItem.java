package dev.postvault.imap.codec;

import java.util.Optional;

/** STATUS data items (RFC 9051 §9 status-att and extensions). */
public enum StatusItem {
    MESSAGES("MESSAGES"),
    UIDNEXT("UIDNEXT"),
    UIDVALIDITY("UIDVALIDITY"),
    UNSEEN("UNSEEN"),
    /** RFC 9051 §6.3.11; also RFC 9208 §4.3. */
    DELETED("DELETED"),
    /** RFC 9051 §6.3.11 (total octets). */
    SIZE("SIZE"),
    /** RFC 3501 only. */
    RECENT("RECENT"),
    /** RFC 7162 §3.1.6. */
    HIGHESTMODSEQ("HIGHESTMODSEQ"),
    /** RFC 7889 §3. */
    APPENDLIMIT("APPENDLIMIT"),
    /** RFC 8474 §4.2. */
    MAILBOXID("MAILBOXID"),
    /** RFC 9208 §4.3. */
    DELETED_STORAGE("DELETED-STORAGE");

    private final String wireName;

    StatusItem(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. "DELETED-STORAGE". */
    public String wireName() {
        return wireName;
    }

    /** Case-insensitive lookup by wire name. */
    public static Optional<StatusItem> fromWire(String name) {
        for (StatusItem item : values()) {
            if (item.wireName.equalsIgnoreCase(name)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
