package dev.postvault.store.spool;

import dev.postvault.crypto.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The segment this process appends an alias's mail to. Appends are serialised by the caller (the
 * alias's append lock); durability is a group commit: {@link #syncTo} returns once an fdatasync that
 * started after the caller's record was written has finished, so concurrent SMTP sessions share one.
 *
 * <p>While a segment is active its process holds an exclusive OS lock on it, so a drain in another
 * process knows not to delete it. POSIX drops a process's locks on a file when the process closes
 * <em>any</em> descriptor of that file, so nothing else in this JVM may open an active segment: its
 * path is in {@link #ACTIVE} from before the file exists until after the writer closed it, and readers
 * in this JVM skip those paths.
 */
final class ActiveSegment {
    /** Paths of segments some writer in this JVM has open, whichever {@link Spool} instance it belongs to. */
    private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel channel;
    /** The fdatasync running now, if any. */
    private final AtomicReference<Sync> inFlight = new AtomicReference<>();
    private final List<String> ids = new ArrayList<>();
    /** Bytes written (under the caller's append lock); read by the syncer. */
    private volatile long written;
    /** Bytes known durable; changed only by the thread holding the in-flight slot. */
    private volatile long synced;
    private volatile boolean broken;
    private volatile boolean closed;
    volatile long lastAppendNanos = System.nanoTime();

    private ActiveSegment(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Segments open for appending in this JVM. */
    static int openCount() {
        return ACTIVE.size();
    }

    static boolean isActive(Path segment) {
        return ACTIVE.contains(segment.toAbsolutePath().normalize());
    }

    /** Creates, locks and makes durable (directory entry included) a new empty segment. */
    static ActiveSegment create(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ACTIVE.add(key);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) throw new IOException("new spool segment is locked by another process");
            Durability.fsyncDirectory(file.getParent());
            return new ActiveSegment(file, ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            Files.deleteIfExists(file);
            ACTIVE.remove(key);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return written;
    }

    /** True when no more records may go in (a write or sync failed, or it was retired). */
    boolean unusable() {
        return broken || closed;
    }

    /** Appends one framed record; the caller holds the alias's append lock. Returns the end offset. */
    long append(byte[] record, String spoolId) throws IOException {
        if (unusable()) throw new IOException("spool segment no longer takes records");
        long start = written;
        ByteBuffer b = ByteBuffer.wrap(record);
        try {
            while (b.hasRemaining()) channel.write(b, start + b.position());
        } catch (IOException e) {
            try {
                channel.truncate(start); // leave no partial record behind a later one
            } catch (IOException truncateFailed) {
                broken = true; // the partial record stays the tail: no further append goes here
            }
            throw e;
        }
        written = start + record.length;
        lastAppendNanos = System.nanoTime();
        synchronized (ids) {
            ids.add(spoolId);
        }
        return written;
    }

    /**
     * Returns once everything up to {@code end} is on disk. One caller at a time runs an fdatasync
     * and the others wait for it to finish, then look again: it usually covered them, and the next
     * one covers everything written meanwhile (group commit). Waiters block on the sync's future,
     * not on a lock, so when it completes they all wake at once instead of being handed a lock one
     * after another (each hand-off waiting for a carrier thread, which under load took 200 ms).
     */
    void syncTo(long end) throws IOException {
        while (synced < end) {
            Sync running = inFlight.get();
            if (running != null) {
                running.awaitDone();
                continue;
            }
            if (closed || broken) {
                // retire() may have run its last sync, covering these records, between the loop's
                // test of synced and the look at inFlight above: closed is set after synced, so
                // seeing it means synced is final. Only records that sync did not cover fail.
                if (synced >= end) return;
                throw new IOException("spool segment closed before its records were durable");
            }
            Sync mine = new Sync();
            if (!inFlight.compareAndSet(null, mine)) continue;
            try {
                long target = written;
                channel.force(false);
                synced = target;
            } catch (IOException e) {
                broken = true; // after a failed fsync the kernel may have dropped the pages: trust nothing new here
                throw e;
            } finally {
                inFlight.set(null);
                mine.done.complete(null);
            }
        }
    }

    /** One fdatasync in progress; waiters join it. */
    private static final class Sync {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        void awaitDone() throws IOException {
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the spool to sync");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
        }
    }

    /** Spool ids of the records appended so far (for {@link Spool#pending}, which may not open this file). */
    List<String> ids() {
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    /**
     * Makes what was written durable, closes the file (dropping the OS lock) and leaves the active set;
     * appenders still waiting in {@link #syncTo} are served by this last sync. No append can come in
     * any more (the alias's log let go of this segment first), so it waits out a sync in flight and
     * then runs the last one itself, holding the in-flight slot until the channel is closed.
     */
    void retire() {
        while (true) {
            Sync running = inFlight.get();
            if (running != null) {
                try {
                    running.awaitDone();
                } catch (IOException interrupted) {
                    // closing anyway: the last sync below covers what the interrupted wait was for
                }
                continue;
            }
            Sync last = new Sync();
            if (!inFlight.compareAndSet(null, last)) continue;
            try {
                if (closed) return;
                try {
                    if (!broken && synced < written) {
                        long target = written;
                        channel.force(false);
                        synced = target;
                    }
                } catch (IOException e) {
                    broken = true;
                }
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing releases the lock whatever happens
                }
                closed = true;
                ACTIVE.remove(path.toAbsolutePath().normalize());
            } finally {
                inFlight.set(null);
                last.done.complete(null);
            }
            return;
        }
    }
}
