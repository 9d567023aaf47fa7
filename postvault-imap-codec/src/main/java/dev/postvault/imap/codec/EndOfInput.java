package dev.postvault.imap.codec;

/** Internal signal: the stream ended in the middle of a command. No stack trace. */
final class EndOfInput extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EndOfInput() {
        super("end of stream", null, false, false);
    }
}
