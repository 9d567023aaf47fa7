package dev.postvault.bench;

/** A benchmark found the store misbehaving (lost, duplicated or altered mail); its numbers are void. */
public final class BenchmarkFailure extends RuntimeException {
    public BenchmarkFailure(String message) {
        super(message);
    }

    /** Throws unless {@code condition} holds. */
    static void check(boolean condition, String message) {
        if (!condition) throw new BenchmarkFailure(message);
    }
}
