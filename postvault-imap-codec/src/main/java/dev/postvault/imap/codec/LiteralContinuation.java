package dev.postvault.imap.codec;

/**
 * Called by {@link ImapCommandReader} before it reads each synchronizing literal {@code {n}}
 * (RFC 9051 §7.5): the client waits for a continuation request before sending the octets. Not
 * called for non-synchronizing literals {@code {n+}} (RFC 7888), nor for literals the reader
 * refuses itself (too big, command not allowed): then the read returns a
 * {@link ReadResult.ParseError} to answer instead.
 *
 * <p>To accept, write {@code + ...} to the client, flush, and return {@link LiteralDecision#accept()};
 * to refuse, write nothing and return a {@link LiteralDecision.Reject}. I/O failures may be thrown
 * as {@link java.io.UncheckedIOException}; they propagate out of {@code read}.
 */
@FunctionalInterface
public interface LiteralContinuation {

    LiteralDecision beforeLiteral(LiteralRequest request);

    /** Accepts every literal, writing {@code + Ready for literal data} and flushing. */
    static LiteralContinuation writingTo(ImapResponseWriter writer) {
        return request -> {
            writer.continuation("Ready for literal data");
            writer.flush();
            return LiteralDecision.accept();
        };
    }
}
