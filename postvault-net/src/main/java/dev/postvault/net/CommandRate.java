package dev.postvault.net;

import java.time.Duration;

/**
 * A token bucket for one connection's commands: up to {@code burst} at once, then
 * {@code perSecond} on average. A client going faster is slowed down (its next command waits), not
 * cut off, so a busy but legitimate client still gets through and a flood costs the server little.
 * Used by one session thread.
 */
public final class CommandRate {
    /**
     * @param perSecond sustained commands per second
     * @param burst commands allowed back to back before pacing starts
     */
    public record Limit(double perSecond, int burst) {
        public static final Limit DEFAULT = new Limit(200, 1000);

        public Limit {
            if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("bad command rate");
        }
    }

    private final Limit limit;
    private double tokens;
    private long lastNanos;

    public CommandRate(Limit limit) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.lastNanos = System.nanoTime();
    }

    /** Takes one token, first waiting as long as the bucket needs to hold one; returns the wait. */
    public Duration acquire() throws InterruptedException {
        long now = System.nanoTime();
        tokens = Math.min(limit.burst(), tokens + (now - lastNanos) / 1e9 * limit.perSecond());
        lastNanos = now;
        tokens -= 1;
        if (tokens >= 0) return Duration.ZERO;
        Duration wait = Duration.ofNanos((long) (-tokens / limit.perSecond() * 1e9));
        Thread.sleep(wait);
        return wait;
    }
}
