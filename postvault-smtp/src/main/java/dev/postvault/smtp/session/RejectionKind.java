package dev.postvault.smtp.session;

/**
 * Protocol-neutral reasons a {@link DeliveryPort} refuses a recipient or a message. The SMTP reply
 * for each is chosen in {@link Replies#rejection(RejectionKind)} and nowhere else.
 */
public enum RejectionKind {
    /** The domain is ours but the mailbox does not exist (550 5.1.1). */
    UNKNOWN_RECIPIENT,
    /** The domain is not ours: we never relay (550 5.7.1). */
    RELAY_DENIED,
    /** The mailbox is over quota; the sender should retry later (452 4.2.2). */
    MAILBOX_FULL,
    /** The message is larger than the recipient accepts (552 5.3.4). */
    TOO_BIG,
    /** A transient failure, e.g. storage unavailable; the sender retries (451 4.3.0). */
    TEMPORARY,
    /** No room on the server's disk for the message; the sender retries (452 4.3.1). */
    SYSTEM_FULL,
    /** Refused by policy, permanently (550 5.7.0). */
    REJECTED,
    /** Submission: the envelope sender or the From:/Sender: header is not an address of this login (550 5.7.1). */
    SENDER_NOT_ALLOWED,
    /** Submission: the message has no From: field (RFC 5322 §3.6 requires one; 550 5.6.0). */
    NO_FROM_FIELD,
    /** Submission: the login sent as many messages in the last hour as it may; retry later (450 4.7.1). */
    RATE_LIMITED
}
