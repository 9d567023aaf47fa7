package dev.postvault.server;

import dev.postvault.smtp.client.MtaStsFetcher;
import dev.postvault.smtp.client.MtaStsPolicy;
import dev.postvault.store.control.CachedPolicy;
import dev.postvault.store.control.ControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which MTA-STS policy applies to a destination domain (RFC 8461 §5.1): the TXT record says whether a
 * policy is published and under which id; a policy is fetched when the id is new or the cached one
 * has expired, and kept in the control plane (encrypted) so that it outlives a restart. When the
 * record cannot be read, or the fetch fails, a cached policy that has not expired still applies; that
 * is what protects a domain whose TXT record an attacker strips. Domain names are never logged.
 */
final class MtaStsPolicies {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsPolicies.class);
    /** How long one TXT answer is trusted before it is asked again: many messages, one lookup. */
    private static final Duration RECHECK = Duration.ofMinutes(5);

    private final MtaStsFetcher fetcher;
    private final ControlPlane control;
    private final Clock clock;
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    /** The policy (or none) found for a domain, and when its TXT record was last read. */
    private record Checked(Optional<MtaStsPolicy> policy, Instant at) {}

    MtaStsPolicies(MtaStsFetcher fetcher, ControlPlane control, Clock clock) {
        this.fetcher = fetcher;
        this.control = control;
        this.clock = clock;
    }

    /** The policy delivery to {@code domain} must follow now; empty when there is none (or mode none). */
    Optional<MtaStsPolicy> policyFor(String domain) {
        Instant now = clock.instant();
        Checked c = checked.get(domain);
        if (c == null || !now.isBefore(c.at().plus(RECHECK))) {
            c = new Checked(lookUp(domain, now), now);
            checked.put(domain, c);
        }
        return c.policy().filter(p -> p.fresh(now) && p.mode() != MtaStsPolicy.Mode.NONE);
    }

    private Optional<MtaStsPolicy> lookUp(String domain, Instant now) {
        Optional<MtaStsPolicy> cached = cached(domain);
        return switch (fetcher.discover(domain)) {
            case MtaStsFetcher.Discovery.Published p -> {
                if (cached.isPresent() && cached.get().id().equals(p.id()) && cached.get().fresh(now)) yield cached;
                try {
                    MtaStsPolicy fresh = fetcher.fetch(domain, p.id(), now);
                    control.saveMtaStsPolicy(new CachedPolicy(domain, p.id(), serialise(fresh), now));
                    LOG.info("MTA-STS policy fetched: mode {}, max_age {} s", fresh.mode(), fresh.maxAge().toSeconds());
                    yield Optional.of(fresh);
                } catch (IOException | MtaStsPolicy.InvalidPolicyException e) {
                    // §5.1: a failed fetch leaves the cached policy (if still valid) in force.
                    LOG.info("MTA-STS policy fetch failed ({}); {}", e.getMessage(), cached.isPresent() ? "the cached one applies" : "no policy");
                    yield cached;
                }
            }
            case MtaStsFetcher.Discovery.NotPublished n -> cached; // §5.1: a valid cached policy outlives its record
            case MtaStsFetcher.Discovery.Unknown u -> cached;
        };
    }

    private Optional<MtaStsPolicy> cached(String domain) {
        Optional<CachedPolicy> stored = control.mtaStsPolicy(domain);
        if (stored.isEmpty()) return Optional.empty();
        try {
            return Optional.of(MtaStsPolicy.parse(stored.get().body(), stored.get().id(), stored.get().fetchedAt()));
        } catch (MtaStsPolicy.InvalidPolicyException e) {
            return Optional.empty(); // only valid policies are stored; a newer server's format is not ours
        }
    }

    /** The policy in its own format, to be parsed again when read back. */
    private static byte[] serialise(MtaStsPolicy p) {
        StringBuilder b = new StringBuilder("version: STSv1\n");
        b.append("mode: ").append(p.mode().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        for (String mx : p.mx()) b.append("mx: ").append(mx).append('\n');
        b.append("max_age: ").append(p.maxAge().toSeconds()).append('\n');
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
