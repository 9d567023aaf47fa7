package dev.postvault.crypto;

/** The crypto layer's one error type: authentication failures, malformed inputs, missing algorithms. */
public final class CryptoException extends RuntimeException {
    private final boolean authenticationFailure;

    private CryptoException(String message, Throwable cause, boolean authenticationFailure) {
        super(message, cause);
        this.authenticationFailure = authenticationFailure;
    }

    /** Data was tampered with, truncated, or opened with the wrong key. */
    public static CryptoException authentication(String message) {
        return new CryptoException(message, null, true);
    }

    public static CryptoException malformed(String message) {
        return new CryptoException(message, null, false);
    }

    public static CryptoException internal(String message, Throwable cause) {
        return new CryptoException(message, cause, false);
    }

    /** True when the input failed authentication (wrong key or modified bytes), as opposed to a bug. */
    public boolean authenticationFailure() {
        return authenticationFailure;
    }
}
