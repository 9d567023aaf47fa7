package dev.postvault.store.mailbox;

/** The system flags a message stores (RFC 9051 §2.3.2); {@code \Recent} is per session, not stored. */
public enum SystemFlag {
    SEEN,
    ANSWERED,
    FLAGGED,
    DELETED,
    DRAFT;

    int bit() {
        return 1 << ordinal();
    }
}
