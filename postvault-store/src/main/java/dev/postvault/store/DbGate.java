package dev.postvault.store;

import java.util.concurrent.Semaphore;

/**
 * Bounds the number of SQLite calls in flight on this node. SQLite runs through JNI, and a virtual
 * thread inside a native call pins its carrier; without a bound, a burst of sessions could pin every
 * carrier and stall all network I/O (ARCHITECTURE.md §3).
 */
public final class DbGate {
    private final Semaphore permits;
    private final int size;

    public DbGate(int maxConcurrent) {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent < 1");
        this.permits = new Semaphore(maxConcurrent, true);
        this.size = maxConcurrent;
    }

    /** The default: two calls per available core. */
    public static DbGate forThisMachine() {
        return new DbGate(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    }

    public int size() {
        return size;
    }

    public interface Work<T> {
        T run() throws Exception;
    }

    public <T> T run(Work<T> work) {
        permits.acquireUninterruptibly();
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Sqlite.translate(e);
        } finally {
            permits.release();
        }
    }
}
