package dev.postvault.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of repeated timings. Percentiles use the nearest-rank method (the smallest sample with at
 * least {@code p} of all samples at or below it), so every reported value is one that was observed.
 */
public record Stats(int count, long medianNanos, long p90Nanos, long minNanos, long maxNanos, long totalNanos) {
    public Stats {
        if (count < 1) throw new IllegalArgumentException("no samples");
    }

    public static Stats of(long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no samples");
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long total = 0;
        for (long n : sorted) total += n;
        return new Stats(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.90), sorted[0], sorted[sorted.length - 1], total);
    }

    public static Stats of(List<Long> nanos) {
        return of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    /** Nearest rank: index {@code ceil(p * n) - 1} of the sorted samples. */
    static long percentile(long[] sorted, double p) {
        if (p <= 0 || p > 1) throw new IllegalArgumentException("p must be in (0, 1]");
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public double meanNanos() {
        return (double) totalNanos / count;
    }

    public double medianMillis() {
        return medianNanos / 1e6;
    }
}
