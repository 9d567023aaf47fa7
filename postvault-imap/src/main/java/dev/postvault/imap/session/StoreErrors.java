package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.store.StoreException;

/** The one place where store errors become IMAP responses (RFC 5530 response codes). */
final class StoreErrors {
    private StoreErrors() {}

    static void respond(ImapResponseWriter w, String tag, StoreException e) {
        ResponseCode.Simple code = switch (e.kind()) {
            case NOT_FOUND -> ResponseCode.Simple.NONEXISTENT;
            case ALREADY_EXISTS -> ResponseCode.Simple.ALREADYEXISTS;
            case AUTHENTICATION_FAILED -> ResponseCode.Simple.AUTHENTICATIONFAILED;
            case INVALID -> ResponseCode.Simple.CANNOT;
            case TOO_BIG -> ResponseCode.Simple.TOOBIG;
            case OVER_QUOTA -> ResponseCode.Simple.OVERQUOTA;
            case IN_USE -> ResponseCode.Simple.INUSE;
            case HAS_CHILDREN -> ResponseCode.Simple.HASCHILDREN;
            case TEMPORARY -> ResponseCode.Simple.UNAVAILABLE;
            case CORRUPT -> ResponseCode.Simple.CORRUPTION;
        };
        w.no(tag, code, e.getMessage());
    }
}
