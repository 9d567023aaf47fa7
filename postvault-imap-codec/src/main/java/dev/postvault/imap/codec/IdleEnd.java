package dev.postvault.imap.codec;

/** What ended an IDLE (RFC 9051 §6.3.13): see {@link ImapCommandReader#readIdleDone()}. */
public sealed interface IdleEnd {

    /** The client sent DONE: answer the IDLE tag with OK. */
    record Done() implements IdleEnd {
    }

    /** The client sent another line (already consumed): answer the IDLE tag with BAD. */
    record NotDone(String message) implements IdleEnd {
    }

    /** The connection ended. */
    record EndOfStream() implements IdleEnd {
    }
}
