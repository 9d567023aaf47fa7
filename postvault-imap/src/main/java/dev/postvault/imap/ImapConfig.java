package dev.postvault.imap;

import dev.postvault.imap.codec.ImapLimits;
import java.time.Duration;

/**
 * IMAP settings, all explicit.
 *
 * @param hostname the name in the greeting
 * @param plaintextAuthOnLoopback allow LOGIN / AUTHENTICATE PLAIN without TLS from 127.0.0.0/8 and ::1
 * @param preAuthTimeout how long an unauthenticated connection may stay silent
 * @param idleTimeout how long an authenticated connection may stay silent (RFC 9051 §5.4: at least 30 min)
 * @param maxFailedLogins failed logins after which the connection is closed (the delays are the
 *     node's {@link dev.postvault.store.account.LoginThrottle}, shared across connections)
 * @param maxConnections connections served at once by one listener
 * @param regexBudget time one SEARCH, SORT or THREAD may spend matching X-REGEX patterns
 * @param commandRate how fast one connection may send commands before it is paced
 */
public record ImapConfig(
        String hostname,
        ImapLimits limits,
        boolean plaintextAuthOnLoopback,
        Duration preAuthTimeout,
        Duration idleTimeout,
        int maxFailedLogins,
        int maxConnections,
        Duration regexBudget,
        dev.postvault.net.CommandRate.Limit commandRate) {

    public static ImapConfig defaults(String hostname) {
        return new ImapConfig(hostname, ImapLimits.defaults(), false, Duration.ofMinutes(1), Duration.ofMinutes(30), 3, 1000, Duration.ofSeconds(2),
                dev.postvault.net.CommandRate.Limit.DEFAULT);
    }

    public ImapConfig withPlaintextAuthOnLoopback(boolean allow) {
        return new ImapConfig(hostname, limits, allow, preAuthTimeout, idleTimeout, maxFailedLogins, maxConnections, regexBudget, commandRate);
    }

    public ImapConfig withMaxConnections(int max) {
        if (max < 1) throw new IllegalArgumentException("maxConnections must be positive");
        return new ImapConfig(hostname, limits, plaintextAuthOnLoopback, preAuthTimeout, idleTimeout, maxFailedLogins, max, regexBudget, commandRate);
    }

    public ImapConfig withRegexBudget(Duration budget) {
        return new ImapConfig(hostname, limits, plaintextAuthOnLoopback, preAuthTimeout, idleTimeout, maxFailedLogins, maxConnections, budget, commandRate);
    }

    public ImapConfig withCommandRate(dev.postvault.net.CommandRate.Limit rate) {
        return new ImapConfig(hostname, limits, plaintextAuthOnLoopback, preAuthTimeout, idleTimeout, maxFailedLogins, maxConnections, regexBudget, rate);
    }
}
