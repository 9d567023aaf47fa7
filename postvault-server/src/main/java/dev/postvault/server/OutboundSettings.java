package dev.postvault.server;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Delivery to other servers.
 *
 * @param resolver the DNS server MX and address lookups ask (a validating resolver on the host is best)
 * @param port the port remote MX hosts are reached on (25; tests use another)
 * @param maxAge how long a message is retried before it bounces (RFC 5321 §4.5.4.1 suggests 4-5 days)
 * @param perDomain connections at once to one destination domain
 * @param timeout for one connection, command or DNS query
 * @param delayNotice after this long undelivered, the sender is told once that delivery is delayed
 * @param firstRetry the wait after the first failed attempt; it doubles per attempt up to an hour
 * @param trustedRoots certificate authorities trusted besides the JDK's, when a certificate must
 *     verify (MTA-STS policy hosts, MX hosts under an enforced policy): a private CA
 * @param policyPort the port MTA-STS policies are fetched from (443; tests use another)
 * @param dnsOverHttps when present, DNS is asked over HTTPS (RFC 8484) at this address instead of {@code resolver}
 * @param dane the resolver validates DNSSEC and its AD bit is trusted: DANE (RFC 7672) applies to
 *     MX hosts with TLSA records (off by default: a resolver that does not validate, or one reached
 *     over an untrusted path, would make the AD bit mean nothing)
 */
public record OutboundSettings(InetSocketAddress resolver, int port, Duration maxAge, int perDomain, Duration timeout, Duration delayNotice,
                               Duration firstRetry, List<X509Certificate> trustedRoots, int policyPort,
                               java.util.Optional<java.net.URI> dnsOverHttps, boolean dane) {
    public OutboundSettings {
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("--outbound-port out of range");
        if (policyPort < 1 || policyPort > 65_535) throw new IllegalArgumentException("policy port out of range");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("--outbound-max-age must be positive");
        if (perDomain < 1) throw new IllegalArgumentException("--outbound-per-domain must be at least 1");
        if (delayNotice.isNegative() || delayNotice.isZero()) throw new IllegalArgumentException("--outbound-delay-notice must be positive");
        if (firstRetry.isNegative() || firstRetry.isZero()) throw new IllegalArgumentException("the first retry wait must be positive");
        trustedRoots = List.copyOf(trustedRoots);
    }

    /** Retries from a minute on, the JDK's trusted roots only, policies from port 443. */
    public OutboundSettings(InetSocketAddress resolver, int port, Duration maxAge, int perDomain, Duration timeout, Duration delayNotice) {
        this(resolver, port, maxAge, perDomain, timeout, delayNotice, Duration.ofMinutes(1), List.of(), 443, java.util.Optional.empty(), false);
    }

    public OutboundSettings withDelayNotice(Duration d) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, d, firstRetry, trustedRoots, policyPort, dnsOverHttps, dane);
    }

    public OutboundSettings withFirstRetry(Duration d) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, delayNotice, d, trustedRoots, policyPort, dnsOverHttps, dane);
    }

    public OutboundSettings withTrustedRoots(List<X509Certificate> roots) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, delayNotice, firstRetry, roots, policyPort, dnsOverHttps, dane);
    }

    public OutboundSettings withPolicyPort(int p) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, delayNotice, firstRetry, trustedRoots, p, dnsOverHttps, dane);
    }

    public OutboundSettings withDnsOverHttps(java.net.URI uri) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, delayNotice, firstRetry, trustedRoots, policyPort,
                java.util.Optional.of(uri), dane);
    }

    public OutboundSettings withDane(boolean on) {
        return new OutboundSettings(resolver, port, maxAge, perDomain, timeout, delayNotice, firstRetry, trustedRoots, policyPort,
                dnsOverHttps, on);
    }

    public OutboundSettings withMaxAge(Duration d) {
        return new OutboundSettings(resolver, port, d, perDomain, timeout, delayNotice, firstRetry, trustedRoots, policyPort, dnsOverHttps, dane);
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
