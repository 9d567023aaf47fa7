package dev.postvault.smtp.codec;

/** How reading a DATA body ended. In every case but END_OF_STREAM the terminator was consumed. */
public enum DataResult {
    /** The body ended at CRLF.CRLF and is complete in the buffer. */
    COMPLETE,
    /** The body exceeded the buffer's limit; the rest was read and discarded (RFC 5321 §4.5.3.1.7). */
    TOO_BIG,
    /** A text line exceeded the configured line limit; the rest was read and discarded. */
    LINE_TOO_LONG,
    /** The peer closed the connection before the terminator. */
    END_OF_STREAM
}
