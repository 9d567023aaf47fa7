package dev.postvault.smtp.session;

import java.time.Duration;

/**
 * The explicit limits of one SMTP session.
 *
 * @param maxCommandLineBytes longest command line, CRLF excluded; RFC 5321 §4.5.3.1.4 requires 512,
 *     we tolerate more (default 2048); longer lines get 500 5.5.2 and the session continues
 * @param maxTextLineBytes longest DATA line, CRLF excluded; RFC 5321 §4.5.3.1.6 says 1000 but we
 *     accept longer lines up to this limit rather than breaking them (default 65536); longer lines
 *     fail the message with 554 5.6.0
 * @param maxMessageBytes largest message content in octets, advertised as SIZE (RFC 1870); larger
 *     messages get 552 5.3.4 (default 25 MiB)
 * @param maxRecipients accepted recipients per transaction (RFC 5321 §4.5.3.1.8: at least 100); further
 *     RCPTs get 452 4.5.3 (default 100)
 * @param maxBadCommands protocol errors tolerated per connection; the next one is answered 421 4.7.0
 *     and the connection closed (default 10)
 * @param commandTimeout idle time allowed while waiting for a command, and for the TLS handshake
 *     (RFC 5321 §4.5.3.2.7: at least 5 minutes)
 * @param dataTimeout idle time allowed between reads while receiving DATA or BDAT octets
 */
public record SmtpLimits(
        int maxCommandLineBytes,
        int maxTextLineBytes,
        int maxMessageBytes,
        int maxRecipients,
        int maxBadCommands,
        Duration commandTimeout,
        Duration dataTimeout) {

    public SmtpLimits {
        if (maxCommandLineBytes < 512) { // RFC 5321 §4.5.3.1.4
            throw new IllegalArgumentException("maxCommandLineBytes must be at least 512");
        }
        if (maxTextLineBytes < 1000) { // RFC 5321 §4.5.3.1.6 (998 + CRLF)
            throw new IllegalArgumentException("maxTextLineBytes must be at least 1000");
        }
        if (maxMessageBytes < 1 || maxMessageBytes > Integer.MAX_VALUE - 64 * 1024) {
            throw new IllegalArgumentException("maxMessageBytes out of range");
        }
        if (maxRecipients < 1 || maxBadCommands < 0) {
            throw new IllegalArgumentException("maxRecipients must be positive, maxBadCommands not negative");
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero() || dataTimeout.isNegative()
                || dataTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static SmtpLimits defaults() {
        return new SmtpLimits(2048, 65_536, 25 * 1024 * 1024, 100, 10, Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public SmtpLimits withMaxMessageBytes(int value) {
        return new SmtpLimits(maxCommandLineBytes, maxTextLineBytes, value, maxRecipients, maxBadCommands,
                commandTimeout, dataTimeout);
    }

    public SmtpLimits withMaxRecipients(int value) {
        return new SmtpLimits(maxCommandLineBytes, maxTextLineBytes, maxMessageBytes, value, maxBadCommands,
                commandTimeout, dataTimeout);
    }

    public SmtpLimits withMaxBadCommands(int value) {
        return new SmtpLimits(maxCommandLineBytes, maxTextLineBytes, maxMessageBytes, maxRecipients, value,
                commandTimeout, dataTimeout);
    }

    public SmtpLimits withTimeouts(Duration command, Duration data) {
        return new SmtpLimits(maxCommandLineBytes, maxTextLineBytes, maxMessageBytes, maxRecipients,
                maxBadCommands, command, data);
    }
}
