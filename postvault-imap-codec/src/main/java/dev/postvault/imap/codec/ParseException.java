package dev.postvault.imap.codec;

import java.util.Optional;

/** Internal signal of a rejected command; becomes a {@link ReadResult.ParseError}. No stack trace. */
final class ParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ResponseStatus status;
    private final transient Optional<ResponseCode> code;

    ParseException(ResponseStatus status, Optional<ResponseCode> code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ParseException bad(String message) {
        return new ParseException(ResponseStatus.BAD, Optional.empty(), message);
    }

    static ParseException bad(ResponseCode code, String message) {
        return new ParseException(ResponseStatus.BAD, Optional.of(code), message);
    }

    static ParseException no(ResponseCode code, String message) {
        return new ParseException(ResponseStatus.NO, Optional.of(code), message);
    }

    static ParseException no(String message) {
        return new ParseException(ResponseStatus.NO, Optional.empty(), message);
    }

    ResponseStatus status() {
        return status;
    }

    Optional<ResponseCode> code() {
        return code;
    }
}
