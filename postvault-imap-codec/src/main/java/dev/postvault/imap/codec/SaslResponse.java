package dev.postvault.imap.codec;

/** One client line of an AUTHENTICATE exchange (RFC 9051 §6.2.2): see {@link ImapCommandReader#readSaslResponse()}. */
public sealed interface SaslResponse {

    /** A base64 response, decoded; an empty line gives empty data. */
    record Data(Octets data) implements SaslResponse {
    }

    /** The client sent "*": answer the AUTHENTICATE tag with BAD. */
    record Cancelled() implements SaslResponse {
    }

    /** Not base64, or too long (already consumed): answer the AUTHENTICATE tag with BAD. */
    record Invalid(String message) implements SaslResponse {
    }

    /** The connection ended. */
    record EndOfStream() implements SaslResponse {
    }
}
