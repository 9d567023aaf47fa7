package dev.postvault.pop3.session;

import dev.postvault.pop3.codec.ResponseCode;
import dev.postvault.store.StoreException;

/** The one place where store errors become POP3 responses (RFC 2449 §8, RFC 3206 §5). */
final class StoreErrors {
    private StoreErrors() {}

    static ResponseCode code(StoreException e) {
        return switch (e.kind()) {
            case TEMPORARY, IN_USE -> ResponseCode.SYS_TEMP;
            case AUTHENTICATION_FAILED -> ResponseCode.AUTH;
            case NOT_FOUND, ALREADY_EXISTS, INVALID, TOO_BIG, OVER_QUOTA, HAS_CHILDREN, CORRUPT -> ResponseCode.SYS_PERM;
        };
    }

    static String text(StoreException e) {
        return switch (e.kind()) {
            case TEMPORARY, IN_USE -> "Temporary server problem, try again later";
            case CORRUPT -> "The message cannot be read";
            default -> e.getMessage();
        };
    }
}
