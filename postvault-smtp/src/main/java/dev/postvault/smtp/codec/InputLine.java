package dev.postvault.smtp.codec;

/** One framed command line read by {@link SmtpInput#readLine(int)}. */
public sealed interface InputLine {

    /** A complete line; {@code bytes} excludes the line terminator. */
    record Complete(byte[] bytes) implements InputLine {}

    /** The line exceeded the limit; it was read to its end and discarded. */
    record TooLong() implements InputLine {}

    /** The peer closed the stream (a partial last line is discarded). */
    record EndOfStream() implements InputLine {}
}
