package dev.postvault.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space on the file system of the data directory, and the reserve that new mail may not use.
 *
 * <p>A completely full disk stops more than new mail: SQLite cannot create a mailbox's shared-memory
 * index ({@code -shm}), so nobody could log in, mark mail read or delete it to make room. New mail
 * (MX deliveries into the spool, APPEND, COPY, spool drains, imports) is therefore refused with
 * DISK_FULL once it would leave less than {@link #reserveBytes()}; everything else may
 * use the reserve. Thread-safe; each check asks the file system afresh ({@code statvfs}, microseconds).
 */
public final class DiskSpace {
    /**
     * The automatic reserve: 5% of the file system, at most 64 MiB (reached at 1.25 GiB). On a small
     * disk the share must be large enough for a checkpoint and the index to follow a drain.
     */
    public static final long AUTO = -1;
    private static final long AUTO_MAX_BYTES = 64L * 1024 * 1024;

    private final FileStore fileStore;
    private final long reserveBytes;

    private DiskSpace(FileStore fileStore, long reserveBytes) {
        this.fileStore = fileStore;
        this.reserveBytes = reserveBytes;
    }

    /**
     * @param dir a directory on the file system to watch (created if missing)
     * @param reserveBytes bytes new mail must leave free, or {@link #AUTO}
     */
    public static DiskSpace of(Path dir, long reserveBytes) {
        if (reserveBytes < 0 && reserveBytes != AUTO) throw new IllegalArgumentException("reserve must be positive or AUTO");
        try {
            Files.createDirectories(dir);
            FileStore fs = Files.getFileStore(dir);
            long reserve = reserveBytes == AUTO ? Math.min(AUTO_MAX_BYTES, fs.getTotalSpace() / 20) : reserveBytes;
            return new DiskSpace(fs, reserve);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + dir, e);
        }
    }

    public long reserveBytes() {
        return reserveBytes;
    }

    /** Bytes this process may still write (0 when unknown). */
    public long usableBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether writing {@code bytes} more leaves the reserve untouched. */
    public boolean hasRoomFor(long bytes) {
        return usableBytes() - bytes >= reserveBytes;
    }

    /** Refuses new mail that would eat into the reserve: DISK_FULL, nothing written. */
    public void requireRoomFor(long bytes) {
        if (!hasRoomFor(bytes)) throw full();
    }

    public static StoreException full() {
        return new StoreException(StoreException.Kind.DISK_FULL, "disk full");
    }

    /**
     * What storing {@code messageBytes} in a mailbox may write: the pages go to the WAL first and to
     * the database file at the next checkpoint, and a WAL that readers keep from being reset grows
     * past that, as does the index; three times the message was what a 30 MB disk needed
     * (FullDiskServerTest).
     */
    public static long inMailbox(long messageBytes) {
        return 3 * messageBytes;
    }
}
