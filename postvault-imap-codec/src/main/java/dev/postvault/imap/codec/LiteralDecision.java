package dev.postvault.imap.codec;

import java.util.Objects;
import java.util.Optional;

/** The answer of a {@link LiteralContinuation}: read the literal, or refuse the command. */
public sealed interface LiteralDecision {

    /** The continuation request was written and flushed; the reader reads the literal. */
    record Accept() implements LiteralDecision {
    }

    /**
     * Refuse the command without reading the literal: the reader returns a
     * {@link ReadResult.ParseError} with these values (e.g. NO [TOOBIG] over an APPENDLIMIT, or
     * [OVERQUOTA]). Nothing must have been written.
     */
    record Reject(ResponseStatus status, Optional<ResponseCode> responseCode, String message)
            implements LiteralDecision {
        public Reject {
            Objects.requireNonNull(status);
            Objects.requireNonNull(responseCode);
            Objects.requireNonNull(message);
        }
    }

    static LiteralDecision accept() {
        return new Accept();
    }

    static LiteralDecision reject(ResponseStatus status, Optional<ResponseCode> responseCode, String message) {
        return new Reject(status, responseCode, message);
    }
}
