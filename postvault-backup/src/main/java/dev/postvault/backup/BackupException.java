package dev.postvault.backup;

/**
 * The backup layer's one error type. Messages are safe to print: they name versions and targets,
 * never addresses, keys or credentials.
 */
public final class BackupException extends RuntimeException {
    public enum Kind {
        /** No such version or object. */
        NOT_FOUND,
        /** The target could not be reached or refused the request; retrying later may work. */
        UNAVAILABLE,
        /** A stored object does not match its manifest, or a copy failed its check. */
        CORRUPT
    }

    private final Kind kind;

    public BackupException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
