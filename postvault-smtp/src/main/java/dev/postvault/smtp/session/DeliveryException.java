package dev.postvault.smtp.session;

/**
 * The one error type of the {@link DeliveryPort}. Its message is never sent to the client and never
 * logged (it might name an address); only its {@link #kind()} is used.
 */
public final class DeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RejectionKind kind;

    public DeliveryException(RejectionKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DeliveryException(RejectionKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public RejectionKind kind() {
        return kind;
    }
}
