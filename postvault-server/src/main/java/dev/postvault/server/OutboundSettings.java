package dev.postvault.server;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Delivery to other servers.
 *
 * @param resolver the DNS server MX and address lookups ask (a validating resolver on the host is best)
 * @param port the port remote MX hosts are reached on (25; tests use another)
 * @param maxAge how long a message is retried before it bounces (RFC 5321 §4.5.4.1 suggests 4-5 days)
 * @param perDomain connections at once to one destination domain
 * @param timeout for one connection, command or DNS query
 * @param delayNotice after this long undelivered, the sender is told once that delivery is delayed
 */
public record OutboundSettings(InetSocketAddress resolver, int port, Duration maxAge, int perDomain, Duration timeout, Duration delayNotice) {
    public OutboundSettings {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("--outbound-port out of range");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("--outbound-max-age must be positive");
        if (perDomain < 1) throw new IllegalArgumentException("--outbound-per-domain must be at least 1");
        if (delayNotice.isNegative() || delayNotice.isZero()) throw new IllegalArgumentException("--outbound-delay-notice must be positive");
    }

    public OutboundSettings withDelayNotice(Duration d) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, d);
    }

    /**
     * The system's first resolver (dnsjava's {@code ResolverConfig}: /etc/resolv.conf on Linux,
     * 127.0.0.1 when it names none), port 25, 5 days, 4, 60 s, a delay notice after 4 h.
     */
    public static OutboundSettings defaults() {
        return new OutboundSettings(org.xbill.DNS.ResolverConfig.getCurrentConfig().server(), 25, Duration.ofDays(5), 4,
                Duration.ofSeconds(60), Duration.ofHours(4));
    }
}
