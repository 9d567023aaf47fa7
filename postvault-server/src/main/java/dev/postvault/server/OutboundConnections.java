package dev.postvault.server;

import dev.postvault.smtp.client.SmtpClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outbound SMTP connections kept open between messages, so that a run of messages to one host pays
 * for one TCP and TLS handshake rather than one each (RFC 5321 §3.3 allows any number of
 * transactions per connection). A connection is kept for {@link #IDLE} after its last transaction and
 * for at most {@link #MAX_USES} transactions; at most {@link #MAX_IDLE_PER_HOST} wait per host.
 * Connections are keyed by what was required of them, so a verified connection is never handed to
 * delivery that wants less and an opportunistic one never to delivery that wants more.
 */
final class OutboundConnections {
    /** As long as Postfix keeps an unused connection (smtp_connection_cache_time_limit, 2 s). */
    static final Duration IDLE = Duration.ofSeconds(2);
    static final int MAX_USES = 100;
    static final int MAX_IDLE_PER_HOST = 8;

    /** How the connection's TLS was set up. */
    enum Kind { OPPORTUNISTIC, VERIFIED, DANE }

    record Key(InetSocketAddress address, String host, Kind kind) {}

    private record Idle(SmtpClient client, Instant since) {}

    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final Map<SmtpClient, Integer> uses = new ConcurrentHashMap<>();

    /** An idle connection for {@code key}, or null; the caller owns it until it gives it back. */
    SmtpClient take(Key key) {
        Deque<Idle> d = idle.get(key);
        if (d == null) return null;
        synchronized (d) {
            Idle i = d.pollLast(); // the most recently used: least likely to have been closed by the server
            return i == null ? null : i.client();
        }
    }

    /** Keeps {@code c} for the next transaction to the same host, or closes it when it has done enough. */
    void give(Key key, SmtpClient c, Instant now) {
        int n = uses.merge(c, 1, Integer::sum);
        Deque<Idle> d = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        boolean kept = false;
        if (n < MAX_USES) {
            synchronized (d) {
                if (d.size() < MAX_IDLE_PER_HOST) {
                    d.addLast(new Idle(c, now));
                    kept = true;
                }
            }
        }
        if (!kept) {
            uses.remove(c);
            c.close();
        }
    }

    /** Closes (with QUIT) the connections idle for longer than {@link #IDLE}. */
    void closeIdle(Instant now) {
        List<SmtpClient> stale = new ArrayList<>();
        for (Deque<Idle> d : idle.values()) {
            synchronized (d) {
                while (!d.isEmpty() && d.peekFirst().since().plus(IDLE).isBefore(now)) stale.add(d.pollFirst().client());
            }
        }
        for (SmtpClient c : stale) {
            uses.remove(c);
            c.close();
        }
    }

    void closeAll() {
        closeIdle(Instant.MAX);
    }
}
