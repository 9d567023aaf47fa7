package dev.postvault.pop3;

import java.time.Duration;

/**
 * POP3 settings, all explicit.
 *
 * @param hostname the name in the greeting
 * @param plaintextAuthOnLoopback allow USER/PASS and AUTH PLAIN without TLS from 127.0.0.0/8 and ::1
 * @param maxLineBytes longest command line, CRLF included (RFC 2449 §4 asks for at least 255)
 * @param maxSaslLineBytes longest SASL response line (RFC 5034 §4 sets no limit)
 * @param idleTimeout silence after which the session ends without UPDATE (RFC 1939 §3: at least 10 minutes)
 * @param maxFailedLogins failed logins after which the connection is closed (the delays are the node's
 *     {@link dev.postvault.store.account.LoginThrottle}, shared across connections)
 * @param maxErrors commands answered -ERR as malformed, unknown or out of state before the connection is closed
 * @param maxConnections connections served at once by one listener
 * @param commandRate how fast one connection may send commands before it is paced
 */
public record Pop3Config(
        String hostname,
        boolean plaintextAuthOnLoopback,
        int maxLineBytes,
        int maxSaslLineBytes,
        Duration idleTimeout,
        int maxFailedLogins,
        int maxErrors,
        int maxConnections,
        dev.postvault.net.CommandRate.Limit commandRate) {

    public Pop3Config {
        if (maxLineBytes < 255 || maxSaslLineBytes < 255 || !idleTimeout.isPositive() || maxFailedLogins < 1 || maxErrors < 1
                || maxConnections < 1) {
            throw new IllegalArgumentException("bad POP3 settings");
        }
    }

    public static Pop3Config defaults(String hostname) {
        return new Pop3Config(hostname, false, 512, 16 * 1024, Duration.ofMinutes(10), 3, 20, 1000, dev.postvault.net.CommandRate.Limit.DEFAULT);
    }

    public Pop3Config withPlaintextAuthOnLoopback(boolean allow) {
        return new Pop3Config(hostname, allow, maxLineBytes, maxSaslLineBytes, idleTimeout, maxFailedLogins, maxErrors, maxConnections, commandRate);
    }

    public Pop3Config withMaxConnections(int max) {
        return new Pop3Config(hostname, plaintextAuthOnLoopback, maxLineBytes, maxSaslLineBytes, idleTimeout, maxFailedLogins, maxErrors, max, commandRate);
    }

    public Pop3Config withIdleTimeout(Duration timeout) {
        return new Pop3Config(hostname, plaintextAuthOnLoopback, maxLineBytes, maxSaslLineBytes, timeout, maxFailedLogins, maxErrors, maxConnections, commandRate);
    }
}
