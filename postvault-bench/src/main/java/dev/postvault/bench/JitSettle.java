package dev.postvault.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Waits until the JIT compilers have worked off their queue. On two cores under a saturating load
 * the C2 threads get little CPU, so the compilations a warm-up asks for are still queued when the
 * timed run starts and take a third of its CPU (measured: 2.4 of 6.7 CPU-seconds in benchmark 3b).
 * A server that has run for a while has no such backlog; the benchmark gives the compilers the idle
 * moment a server would have had, and reports how long that took.
 */
final class JitSettle {
    private static final Duration POLL = Duration.ofMillis(250);
    /** Compilation time per poll below which the queue counts as drained. */
    private static final long QUIET_MILLIS = 5;

    private JitSettle() {}

    /** Returns the milliseconds waited (at most {@code max}), or -1 when the JVM cannot report compilation time. */
    static long await(Duration max) {
        long before = compilationMillis();
        if (before < 0) return -1;
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = compilationMillis();
            if (now - before < QUIET_MILLIS) break;
            before = now;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Time the JIT compilers have spent so far (elapsed, summed over compiler threads), or -1 where not reported. */
    static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
