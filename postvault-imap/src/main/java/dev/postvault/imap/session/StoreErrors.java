package dev.postvault.imap.session;

import dev.postvault.crypto.Bytes;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where store errors become IMAP responses (RFC 5530 response codes). Errors the
 * client cannot have caused (TEMPORARY, CORRUPT) are logged with a reference id that the client's
 * answer carries too, so a user's report can be matched to the log line.
 */
final class StoreErrors {
    private static final Logger LOG = LoggerFactory.getLogger(StoreErrors.class);

    private StoreErrors() {}

    static void respond(ImapResponseWriter w, String tag, StoreException e, String sessionId) {
        ResponseCode.Simple code = switch (e.kind()) {
            case NOT_FOUND -> ResponseCode.Simple.NONEXISTENT;
            case ALREADY_EXISTS -> ResponseCode.Simple.ALREADYEXISTS;
            case AUTHENTICATION_FAILED -> ResponseCode.Simple.AUTHENTICATIONFAILED;
            case INVALID -> ResponseCode.Simple.CANNOT;
            case TOO_BIG -> ResponseCode.Simple.TOOBIG;
            case OVER_QUOTA -> ResponseCode.Simple.OVERQUOTA;
            case IN_USE -> ResponseCode.Simple.INUSE;
            case HAS_CHILDREN -> ResponseCode.Simple.HASCHILDREN;
            case TEMPORARY, DISK_FULL, THROTTLED -> ResponseCode.Simple.UNAVAILABLE;
            case CORRUPT -> ResponseCode.Simple.CORRUPTION;
        };
        String text = e.getMessage();
        if (e.kind() == StoreException.Kind.TEMPORARY || e.kind() == StoreException.Kind.DISK_FULL || e.kind() == StoreException.Kind.CORRUPT) {
            String ref = Bytes.hex(Bytes.random(4));
            // The store's messages and causes carry no address, key or content (StoreException).
            // A cause (SQLite, I/O) is logged with its stack; the store's own refusals ("disk full") need none.
            if (e.getCause() != null) LOG.warn("session {} store error {} ref {}: {}", sessionId, e.kind(), ref, e.getMessage(), e);
            else LOG.warn("session {} store error {} ref {}: {}", sessionId, e.kind(), ref, e.getMessage());
            text = text + " (reference " + ref + ")";
        }
        w.no(tag, code, text);
    }
}
