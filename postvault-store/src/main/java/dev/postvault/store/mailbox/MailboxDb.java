package dev.postvault.store.mailbox;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.DbGate;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open state of one mailbox file, shared by every session of the alias on this node: one writer
 * connection behind a lock (SQLite allows one writer) and a few reader connections that see WAL
 * snapshots alongside it. Reference-counted by {@link MailboxStore}.
 */
final class MailboxDb {
    final String aliasId;
    final Path file;
    final SecretKey32 dek;
    private final DbGate gate;
    private final int maxReaders;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Deque<Connection> readers = new ArrayDeque<>();
    /** Reader connections borrowed and not yet given back (guarded by {@code readers}). */
    private int borrowed;
    final ReentrantLock drainLock = new ReentrantLock();
    /** Set while a background indexing pass runs for this mailbox (at most one at a time). */
    final java.util.concurrent.atomic.AtomicBoolean indexing = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by every request for indexing, so a request made while a pass is ending is not lost. */
    final java.util.concurrent.atomic.AtomicBoolean indexRequested = new java.util.concurrent.atomic.AtomicBoolean();
    volatile boolean closed;
    /** When spool mail was last delivered into this mailbox (System.nanoTime); indexing yields to delivery. */
    volatile long lastDeliveryNanos = System.nanoTime() - (1L << 40);
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    int refs;
    /** Whether the file held contents not yet indexed when it was opened (a crash or close cut a pass short). */
    final boolean unindexedAtOpen;
    /** Each connection's page cache ceiling ({@link MailboxLimits#pageCacheKib}). */
    private final int cacheKib;
    /**
     * When a session last began a write or a run of reads on any mailbox of this node
     * (System.nanoTime); the background indexer waits for a quiet spell ({@code Mailbox#indexInBackground}).
     */
    private final java.util.concurrent.atomic.AtomicLong foreground;

    /** What the sessions of this mailbox read of {@code message_keys}, kept while it is open. */
    final KeyCache keyCache;

    MailboxDb(String aliasId, Path file, SecretKey32 dek, DbGate gate, int maxReaders, int cacheKib, int keyCacheEntries) {
        this(aliasId, file, dek, gate, maxReaders, cacheKib, keyCacheEntries, new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - (1L << 40)));
    }

    /** With {@code foreground}, the node's clock of session work that background work yields to. */
    MailboxDb(String aliasId, Path file, SecretKey32 dek, DbGate gate, int maxReaders, int cacheKib, int keyCacheEntries,
              java.util.concurrent.atomic.AtomicLong foreground) {
        this.foreground = foreground;
        this.aliasId = aliasId;
        this.cacheKib = cacheKib;
        this.keyCache = new KeyCache(keyCacheEntries);
        this.file = file;
        this.dek = dek;
        this.gate = gate;
        this.maxReaders = maxReaders;
        this.writer = gate.run(() -> Sqlite.openWriter(file, dek, cacheKib));
        try {
            this.unindexedAtOpen = gate.run(() -> {
                Schema.migrate(writer);
                return Sqlite.exists(writer, "SELECT 1 FROM contents WHERE indexed = 0");
            });
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    /** Runs {@code work} in a write transaction; one at a time per mailbox. */
    <T> T write(DbGate.Work<T> work) {
        foreground.set(System.nanoTime());
        return writeLocked(work);
    }

    /** How long ago a session last began work on this node. */
    long sinceForegroundNanos() {
        return System.nanoTime() - foreground.get();
    }

    private <T> T writeLocked(DbGate.Work<T> work) {
        writeLock.lock();
        try {
            if (closed) throw new StoreException(StoreException.Kind.TEMPORARY, "mailbox closed");
            return gate.run(() -> Sqlite.inTransaction(writer, work));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Like {@link #write}, for background work (indexing, index merges): it first lets every session
     * write that is running or queued go ahead, waiting up to {@code patience} for a gap, so a
     * client's APPEND or STORE never queues behind a pass it did not ask for.
     */
    <T> T writeInBackground(DbGate.Work<T> work, java.time.Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        try {
            while ((writeLock.isLocked() || writeLock.hasQueuedThreads()) && System.nanoTime() < until) Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting; the write itself still runs
        }
        return writeLocked(work);
    }

    /**
     * Like {@link #write}, but the commit is on disk when this returns. Connections run with
     * synchronous=NORMAL, where a WAL commit survives a crash of the process but not of the machine
     * (power loss, kernel panic); that suits flags and folders, not what a client or the spool then
     * forgets. For this transaction the writer runs at FULL: SQLite fsyncs the WAL at the commit.
     */
    <T> T writeDurable(DbGate.Work<T> work) {
        return exclusive(c -> {
            Sqlite.exec(c, "PRAGMA synchronous=FULL");
            try {
                return Sqlite.inTransaction(c, work);
            } finally {
                Sqlite.exec(c, "PRAGMA synchronous=NORMAL");
            }
        });
    }

    /** Runs {@code work} in a read transaction on a reader connection (a consistent snapshot). */
    <T> T read(ReadWork<T> work) {
        if (maxReaders == 0) return write(() -> work.run(writer));
        Connection c = borrow();
        boolean ok = false;
        try {
            T t = gate.run(() -> Sqlite.inTransaction(c, () -> work.run(c)));
            ok = true;
            return t;
        } finally {
            giveBack(c, ok);
        }
    }

    /**
     * A reader connection in an open read transaction, for a run of reads that must see one snapshot
     * ({@link MailboxReader}); each statement still goes through {@link #gated}. Give it back with
     * {@link #endLease}. Used even when {@code maxReaders} is 0: the connection is then closed after.
     */
    Connection lease() {
        foreground.set(System.nanoTime());
        Connection c = borrow();
        try {
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            giveBack(c, false);
            throw Sqlite.translate(e);
        }
    }

    void endLease(Connection c) {
        boolean ok = false;
        try {
            c.commit(); // a read transaction: ends the snapshot
            c.setAutoCommit(true);
            ok = true;
        } catch (SQLException e) {
            // the connection is closed below instead of going back to the pool
        } finally {
            giveBack(c, ok);
        }
    }

    /** Runs one SQLite call under the node's bound on calls in flight. */
    <T> T gated(DbGate.Work<T> work) {
        return gate.run(work);
    }

    /** Runs {@code work} on the writer connection outside any transaction, with this node's writes held off. */
    <T> T exclusive(ReadWork<T> work) {
        foreground.set(System.nanoTime());
        writeLock.lock();
        try {
            if (closed) throw new StoreException(StoreException.Kind.TEMPORARY, "mailbox closed");
            return gate.run(() -> work.run(writer));
        } finally {
            writeLock.unlock();
        }
    }

    interface ReadWork<T> {
        T run(Connection c) throws Exception;
    }

    Connection writer() {
        return writer;
    }

    private Connection borrow() {
        synchronized (readers) {
            if (closed) throw new StoreException(StoreException.Kind.TEMPORARY, "mailbox closed");
            borrowed++;
            Connection c = readers.pollFirst();
            if (c != null) return c;
        }
        try {
            return gate.run(() -> Sqlite.open(file, dek, cacheKib));
        } catch (RuntimeException e) {
            synchronized (readers) {
                borrowed--;
                readers.notifyAll();
            }
            throw e;
        }
    }

    /**
     * Opens a reader connection ahead of the first read, on a virtual thread, so that a session's
     * first query after login finds one ready instead of opening it then (an open costs about as much
     * as the writer's did).
     */
    void warmReader() {
        if (maxReaders == 0) return;
        Thread.ofVirtual().name("reader-" + aliasId).start(() -> {
            try {
                giveBack(borrow(), true);
            } catch (RuntimeException e) {
                // the first read opens its own
            }
        });
    }

    private void giveBack(Connection c, boolean healthy) {
        synchronized (readers) {
            borrowed--;
            readers.notifyAll();
            if (healthy && !closed && readers.size() < maxReaders) {
                readers.addFirst(c);
                return;
            }
        }
        closeQuietly(c);
    }

    void close() {
        if (closing.getAndSet(true)) return;
        awaitReaders();
        writeLock.lock();
        try {
            synchronized (readers) {
                readers.forEach(MailboxDb::closeQuietly);
                readers.clear();
            }
            gate.run(() -> {
                try (var s = writer.createStatement()) {
                    returnFreePages(s);
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        } catch (RuntimeException ignored) {
            // a checkpoint is an optimisation; the WAL is replayed on next open
        } finally {
            closeQuietly(writer);
            dek.destroy();
            writeLock.unlock();
        }
    }

    /**
     * Gives free pages (left by FTS5 segment merges and deleted mail) back to the file system.
     * {@code incremental_vacuum} frees one page per step and the JDBC driver steps a statement once,
     * so it is run once per page, bounded so closing a huge mailbox stays quick.
     */
    private static void returnFreePages(java.sql.Statement s) throws SQLException {
        long free;
        try (var rs = s.executeQuery("PRAGMA freelist_count")) {
            free = rs.next() ? rs.getLong(1) : 0;
        }
        for (long i = 0; i < Math.min(free, MAX_PAGES_FREED_PER_CLOSE); i++) s.execute("PRAGMA incremental_vacuum(1)");
    }

    private static final long MAX_PAGES_FREED_PER_CLOSE = 20_000;

    /**
     * Stops new reads and waits for those running (the background indexer holds no handle of its own,
     * and the warm-up opens a reader) to give their connections back: the last connection to close
     * removes the WAL, and a caller that replaces or copies the file next must find it settled.
     */
    private void awaitReaders() {
        long until = System.nanoTime() + CLOSE_WAIT.toNanos();
        synchronized (readers) {
            closed = true;
            try {
                for (long left; borrowed > 0 && (left = until - System.nanoTime()) > 0; ) {
                    readers.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long a close waits for reads in flight; a read that outlives it closes its connection itself. */
    private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing useful to do
        }
    }
}
