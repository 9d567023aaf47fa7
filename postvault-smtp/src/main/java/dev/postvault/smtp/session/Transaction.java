package dev.postvault.smtp.session;

import dev.postvault.smtp.codec.BodyType;
import dev.postvault.smtp.codec.DsnParameters;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The envelope of one message handed to {@link DeliveryPort#deliver}. Contains addresses: never log
 * it or its {@code toString()}.
 *
 * @param id our transaction id; also in the Received header and in the 250 reply ("id=...")
 * @param connectionId the connection it arrived on (for correlating logs)
 * @param reversePath MAIL FROM address as parsed (domain lower-cased); empty for the null path {@code <>}
 * @param recipients accepted RCPT addresses, in order, without duplicates, each exactly the string
 *     the port accepted in {@link DeliveryPort#checkRecipient}; never empty
 * @param body declared BODY= type (the bytes are passed unchanged whatever it says)
 * @param smtpUtf8 the SMTPUTF8 parameter was given (RFC 6531)
 * @param heloName the client's EHLO/HELO argument
 * @param remoteIp the client's IP address in textual form
 * @param tls the message arrived under TLS
 * @param receivedAt when the end of data was received
 * @param dsn RET and ENVID from MAIL and each recipient's NOTIFY and ORCPT (RFC 3461), where DSN is offered
 * @param requireTls MAIL carried REQUIRETLS (RFC 8689): the message may only travel on over verified TLS
 */
public record Transaction(
        String id,
        String connectionId,
        Optional<String> reversePath,
        List<String> recipients,
        BodyType body,
        boolean smtpUtf8,
        String heloName,
        String remoteIp,
        boolean tls,
        Instant receivedAt,
        Dsn dsn,
        boolean requireTls) {

    /**
     * The DSN parameters of a transaction (RFC 3461 §4).
     *
     * @param recipients by recipient address, only those that gave NOTIFY or ORCPT
     */
    public record Dsn(Optional<DsnParameters.Ret> ret, Optional<String> envelopeId, java.util.Map<String, DsnParameters.Recipient> recipients) {
        public static final Dsn NONE = new Dsn(Optional.empty(), Optional.empty(), java.util.Map.of());

        public Dsn {
            recipients = java.util.Map.copyOf(recipients);
        }

        /** A recipient's parameters; none given means the defaults. */
        public DsnParameters.Recipient of(String recipient) {
            return recipients.getOrDefault(recipient, DsnParameters.Recipient.NONE);
        }
    }

    public Transaction(String id, String connectionId, Optional<String> reversePath, List<String> recipients, BodyType body, boolean smtpUtf8,
                       String heloName, String remoteIp, boolean tls, Instant receivedAt) {
        this(id, connectionId, reversePath, recipients, body, smtpUtf8, heloName, remoteIp, tls, receivedAt, Dsn.NONE, false);
    }

    public Transaction {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a transaction has at least one recipient");
        }
    }

    @Override
    public String toString() {
        return "Transaction[id=" + id + ", connectionId=" + connectionId + ", recipients=" + recipients.size() + "]";
    }
}
