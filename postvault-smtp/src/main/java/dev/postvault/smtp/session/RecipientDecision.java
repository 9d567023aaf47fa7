package dev.postvault.smtp.session;

/** The port's verdict on one RCPT TO address. */
public sealed interface RecipientDecision {

    /** We deliver to this address. */
    record Accept() implements RecipientDecision {}

    /** We do not; {@code kind} picks the reply (usually UNKNOWN_RECIPIENT or RELAY_DENIED). */
    record Refuse(RejectionKind kind) implements RecipientDecision {}

    static RecipientDecision accept() {
        return new Accept();
    }

    static RecipientDecision refuse(RejectionKind kind) {
        return new Refuse(kind);
    }
}
