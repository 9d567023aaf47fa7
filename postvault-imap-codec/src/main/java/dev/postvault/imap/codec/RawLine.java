package dev.postvault.imap.codec;

/** One raw client line: see {@link ImapCommandReader#readRawLine()}. */
public sealed interface RawLine {

    /** The line without its CRLF (or bare LF), as US-ASCII with other octets replaced. */
    record Text(String text) implements RawLine {
    }

    /** The line exceeded maxLineBytes; it has been consumed up to its end. */
    record TooLong() implements RawLine {
    }

    /** The connection ended before a line end. */
    record EndOfStream() implements RawLine {
    }
}
