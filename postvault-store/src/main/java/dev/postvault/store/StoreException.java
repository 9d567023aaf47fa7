package dev.postvault.store;

/**
 * The store's one error type. Protocols map {@link Kind} to wire responses in exactly one place each;
 * messages are safe to show a client (they never contain addresses, keys or mail content).
 */
public final class StoreException extends RuntimeException {
    public enum Kind {
        NOT_FOUND,
        ALREADY_EXISTS,
        AUTHENTICATION_FAILED,
        INVALID,
        TOO_BIG,
        OVER_QUOTA,
        IN_USE,
        /** A folder cannot be deleted while it has children (RFC 5530 HASCHILDREN). */
        HAS_CHILDREN,
        /** Transient: I/O error, a closed mailbox. Retrying later may succeed. */
        TEMPORARY,
        /** No room for new mail on the disk (or its reserve reached); retrying later may succeed. */
        DISK_FULL,
        /** Too many failed logins from the client's network: refused without checking the password. */
        THROTTLED,
        /** A file failed integrity or decryption checks. */
        CORRUPT
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static StoreException notFound(String what) {
        return new StoreException(Kind.NOT_FOUND, what);
    }

    public static StoreException invalid(String what) {
        return new StoreException(Kind.INVALID, what);
    }
}
