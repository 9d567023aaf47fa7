package dev.postvault.store.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per client network, shared by every connection and protocol of a node, so a guesser
 * gains nothing by opening new connections. An IPv4 client is tracked by address, an IPv6 client by
 * its /64 (one host usually owns the whole prefix).
 *
 * <p>Each failure inside the window doubles the delay before the failure is answered, up to
 * {@code maxDelay}; at {@code maxFailures} the network is refused without the password being checked
 * (which also spares the Argon2id work) until the window has passed since its first failure.
 * Memory is bounded: at most {@code maxTracked} networks, the least recently seen forgotten first.
 * Thread-safe.
 */
public final class LoginThrottle {
    /**
     * @param window how long failures are remembered, counted from a network's first failure
     * @param baseDelay delay after the first failure
     * @param maxDelay the longest delay
     * @param maxFailures failures in the window after which logins are refused outright
     * @param maxTracked networks remembered at once
     */
    public record Policy(Duration window, Duration baseDelay, Duration maxDelay, int maxFailures, int maxTracked) {
        public static final Policy DEFAULT = new Policy(Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofSeconds(8), 30, 100_000);

        public Policy {
            if (window.isNegative() || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxFailures < 1 || maxTracked < 1) {
                throw new IllegalArgumentException("bad login throttle policy");
            }
        }
    }

    private record Failures(Instant first, int count) {}

    private final Policy policy;
    private final Clock clock;
    private final LinkedHashMap<String, Failures> byNetwork;

    public LoginThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.byNetwork = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > policy.maxTracked();
            }
        };
    }

    /** True when this client's network has failed too often lately: refuse before checking anything. */
    public synchronized boolean refused(InetAddress client) {
        Failures f = current(network(client));
        return f != null && f.count() >= policy.maxFailures();
    }

    /** Records a failed login and returns how long to wait before answering it. */
    public synchronized Duration failed(InetAddress client) {
        String key = network(client);
        Failures f = current(key);
        Failures next = f == null ? new Failures(clock.instant(), 1) : new Failures(f.first(), f.count() + 1);
        byNetwork.put(key, next);
        Duration d = policy.baseDelay().multipliedBy(1L << Math.min(next.count() - 1, 20));
        return d.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : d;
    }

    /** Networks currently remembered. */
    public synchronized int tracked() {
        return byNetwork.size();
    }

    private Failures current(String key) {
        Failures f = byNetwork.get(key);
        if (f != null && Duration.between(f.first(), clock.instant()).compareTo(policy.window()) >= 0) {
            byNetwork.remove(key);
            return null;
        }
        return f;
    }

    static String network(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) b = Arrays.copyOf(b, 8);
        return HexFormat.of().formatHex(b);
    }
}
