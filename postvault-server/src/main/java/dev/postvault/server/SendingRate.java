package dev.postvault.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Messages each alias submitted in the last hour, on this node: a sliding window of send times per
 * alias id, at most {@code limit} long, so memory is bounded by the aliases sending right now.
 */
final class SendingRate {
    private static final Duration WINDOW = Duration.ofHours(1);

    private final int limit;
    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> sent = new HashMap<>();

    SendingRate(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Whether the alias may send one more message now. */
    synchronized boolean allows(String aliasId) {
        ArrayDeque<Instant> times = sent.get(aliasId);
        if (times == null) return true;
        expire(times, clock.instant());
        if (times.isEmpty()) sent.remove(aliasId); // nothing left to remember for this alias
        return times.size() < limit;
    }

    /** Counts one message sent now. */
    synchronized void record(String aliasId) {
        Instant now = clock.instant();
        ArrayDeque<Instant> times = sent.computeIfAbsent(aliasId, k -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > limit) times.removeFirst();
    }

    private static void expire(ArrayDeque<Instant> times, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) times.removeFirst();
    }
}
