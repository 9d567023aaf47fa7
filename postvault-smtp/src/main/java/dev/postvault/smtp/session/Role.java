package dev.postvault.smtp.session;

import java.util.Optional;

/**
 * What a listener's sessions are for: the inbound MX (RFC 5321: anyone may deliver to our aliases,
 * nobody relays) or message submission (RFC 6409: only an authenticated alias may send, to anyone).
 * The session's protocol is the same; what it accepts is decided here.
 */
public sealed interface Role {

    /** Whether AUTH is part of this role at all (RFC 4954). */
    boolean authenticates();

    /**
     * Whether DSN (RFC 3461) is offered: on submission, where the sender is ours and its reports go
     * into its own mailbox. The MX does not offer it: it stores mail and relays none.
     */
    default boolean offersDsn() {
        return authenticates();
    }

    RecipientDecision checkRecipient(Optional<Principal> principal, String address);

    void deliver(Optional<Principal> principal, Transaction transaction, byte[] message) throws DeliveryException;

    /** The inbound MX: recipients and delivery through {@code port}; AUTH is not offered. */
    record Mx(DeliveryPort port) implements Role {
        @Override
        public boolean authenticates() {
            return false;
        }

        @Override
        public RecipientDecision checkRecipient(Optional<Principal> principal, String address) {
            return port.checkRecipient(address);
        }

        @Override
        public void deliver(Optional<Principal> principal, Transaction transaction, byte[] message) {
            port.deliver(transaction, message);
        }
    }

    /**
     * Submission (RFC 6409, RFC 8314): AUTH required before MAIL.
     *
     * @param plaintextAuthOnLoopback offer AUTH without TLS to clients on 127.0.0.0/8 and ::1
     * @param clientAddressInReceived write the client's IP address into the Received header (off by
     *     default: it would tell every recipient where the sender was)
     */
    record Submission(SubmissionPort port, boolean plaintextAuthOnLoopback, boolean clientAddressInReceived) implements Role {
        @Override
        public boolean authenticates() {
            return true;
        }

        @Override
        public RecipientDecision checkRecipient(Optional<Principal> principal, String address) {
            return port.checkRecipient(principal.orElseThrow(), address);
        }

        @Override
        public void deliver(Optional<Principal> principal, Transaction transaction, byte[] message) {
            port.deliver(principal.orElseThrow(), transaction, message);
        }
    }
}
