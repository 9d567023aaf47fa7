package dev.postvault.smtp.session;

import java.net.InetAddress;

/**
 * What a submission session (RFC 6409) needs from the mail store: the login, the recipients a login
 * may write to, and delivery. Implementations must be thread-safe: every connection runs on its own
 * virtual thread.
 */
public interface SubmissionPort {

    /** How a login ended. Failed and Throttled say nothing about whether the address exists. */
    sealed interface Login {
        record Success(Principal principal) implements Login {}

        /** A wrong password or an unknown address. */
        record Failed() implements Login {}

        /** Too many failed logins from this client's network; {@code text} says when to retry. */
        record Throttled(String text) implements Login {}

        /** The store could not be asked (e.g. storage unavailable); the client may retry. */
        record Unavailable() implements Login {}
    }

    /** Checks {@code user}'s password through the store's one login path, with its throttle. */
    Login authenticate(String user, String password, InetAddress client);

    /**
     * Whether {@code principal} may start another message now (its sending rate, RFC 6409 §4.1 leaves
     * such policy to the MSA); empty when it may, else why not. Asked at MAIL.
     */
    java.util.Optional<RejectionKind> admit(Principal principal);

    /**
     * Decides whether {@code principal} may send to {@code address} (RFC 5321 §4.1.1.3), as
     * {@link DeliveryPort#checkRecipient} does for the MX, but for any domain. No side effects.
     */
    RecipientDecision checkRecipient(Principal principal, String address);

    /**
     * Checks the message's own sender fields against {@code principal}, completes it as RFC 6409 §8
     * allows (Date, Message-ID), and stores or queues it for every recipient; returns only once that
     * is durable. All-or-nothing, as {@link DeliveryPort#deliver}.
     */
    void deliver(Principal principal, Transaction transaction, byte[] message) throws DeliveryException;
}
