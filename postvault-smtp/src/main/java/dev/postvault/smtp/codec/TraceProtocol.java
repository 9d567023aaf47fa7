package dev.postvault.smtp.codec;

/**
 * The "with" protocol keyword of a Received header: RFC 3848 §2 (ESMTP, ESMTPA, ESMTPS, ESMTPSA)
 * and RFC 6531 §3.7.3 (UTF8SMTP, UTF8SMTPA, UTF8SMTPS, UTF8SMTPSA).
 */
public enum TraceProtocol {
    SMTP, ESMTP, ESMTPA, ESMTPS, ESMTPSA, UTF8SMTP, UTF8SMTPA, UTF8SMTPS, UTF8SMTPSA;

    /**
     * @param extended the client used EHLO rather than HELO
     * @param tls the session runs under TLS (STARTTLS or implicit)
     * @param authenticated the client authenticated (never the case on an inbound MX)
     * @param smtpUtf8 the transaction carried the SMTPUTF8 parameter
     */
    public static TraceProtocol of(boolean extended, boolean tls, boolean authenticated, boolean smtpUtf8) {
        if (!extended) {
            return SMTP; // RFC 3848 defines no TLS/AUTH variant for plain SMTP
        }
        String name = (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
        return valueOf(name);
    }
}
