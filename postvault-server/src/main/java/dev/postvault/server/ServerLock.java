package dev.postvault.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code data/server.lock}: held (an OS file lock) by the running server for its whole life, so a
 * second server on the same directory refuses to start, and a command-line tool knows whether it
 * must ask a running server to let go of a mailbox (see {@link MailboxHolds}). The lock goes away with
 * the process, however it ends.
 */
public final class ServerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or empty when a server (in any process) holds it. */
    public static Optional<ServerLock> tryAcquire(Path dataDir) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(new ServerLock(ch, l));
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch); // held by a server in this very JVM (tests)
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot open " + dataDir.resolve("server.lock") + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
