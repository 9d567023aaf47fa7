package dev.postvault.pop3.session;

import dev.postvault.pop3.codec.ResponseCode;
import dev.postvault.crypto.Bytes;
import dev.postvault.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where store errors become POP3 responses (RFC 2449 §8, RFC 3206 §5). */
final class StoreErrors {
    private static final Logger LOG = LoggerFactory.getLogger(StoreErrors.class);

    private StoreErrors() {}

    static ResponseCode code(StoreException e) {
        return switch (e.kind()) {
            case TEMPORARY, DISK_FULL, IN_USE, THROTTLED -> ResponseCode.SYS_TEMP;
            case AUTHENTICATION_FAILED -> ResponseCode.AUTH;
            case NOT_FOUND, ALREADY_EXISTS, INVALID, TOO_BIG, OVER_QUOTA, HAS_CHILDREN, CORRUPT -> ResponseCode.SYS_PERM;
        };
    }

    /**
     * The text after the code. TEMPORARY and CORRUPT are not the client's doing: they are logged with
     * a reference id that the text carries too.
     */
    static String text(StoreException e, String sessionId) {
        String text = switch (e.kind()) {
            case TEMPORARY -> "Temporary server problem, try again later";
            case DISK_FULL -> "The server's disk is full, try again later";
            case IN_USE -> "The mailbox is in use, try again later";
            case CORRUPT -> "The message cannot be read";
            default -> e.getMessage();
        };
        if (e.kind() != StoreException.Kind.TEMPORARY && e.kind() != StoreException.Kind.DISK_FULL && e.kind() != StoreException.Kind.CORRUPT) return text;
        String ref = Bytes.hex(Bytes.random(4));
        // A cause (SQLite, I/O) is logged with its stack; the store's own refusals ("disk full") need none.
        if (e.getCause() != null) LOG.warn("session {} store error {} ref {}: {}", sessionId, e.kind(), ref, e.getMessage(), e);
        else LOG.warn("session {} store error {} ref {}: {}", sessionId, e.kind(), ref, e.getMessage());
        return text + " (reference " + ref + ")";
    }
}
