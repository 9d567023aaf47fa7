package dev.postvault.smtp.session;

/**
 * What the SMTP session needs from the mail store. Implementations must be thread-safe: every
 * connection runs on its own virtual thread and calls the port concurrently.
 */
public interface DeliveryPort {

    /**
     * Decides whether we accept mail for {@code address} (RFC 5321 §4.1.1.3), called once per RCPT.
     * The address is exactly as the client sent it, except that the domain is lower-cased and a bare
     * {@code <Postmaster>} arrives as {@code Postmaster@<our host name>}; quoted local parts keep their
     * quotes, and with SMTPUTF8 it may contain non-ASCII characters. Any domain that is not ours must
     * be refused with {@link RejectionKind#RELAY_DENIED}: this server never relays. Must not have side
     * effects (a RCPT may be followed by RSET). May throw {@link DeliveryException}
     * (e.g. {@link RejectionKind#TEMPORARY}); any other exception is answered 451 4.3.0.
     */
    RecipientDecision checkRecipient(String address);

    /**
     * Stores {@code message} for every recipient of {@code transaction} and returns only once it is
     * durable; the client is told 250 only after this returns. {@code message} is the complete
     * message as it will be stored: our Received header followed by the client's bytes, dot-unstuffed
     * for DATA, verbatim for BDAT, never more than the configured maximum plus that header.
     *
     * <p>All-or-nothing: throw {@link DeliveryException} if the message could not be stored for every
     * recipient. TEMPORARY (or any other unexpected exception) is answered 451 4.3.0 for the whole
     * transaction and the client will retry all recipients later, with a new transaction id and a new
     * Received header; so either store atomically, or make a partial success idempotent (e.g.
     * deduplicate on the message bytes after the first header line, per recipient).
     */
    void deliver(Transaction transaction, byte[] message) throws DeliveryException;
}
