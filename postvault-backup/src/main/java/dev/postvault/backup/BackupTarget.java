package dev.postvault.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where backups are kept: a flat key space of immutable objects ("mailboxes/ID/VERSION.sqlite").
 * Implementations: {@link DirectoryTarget} (the default, under the data directory) and
 * {@link S3Target}; both pass {@code BackupTargetContract}.
 */
public interface BackupTarget {
    /** Stores a file under {@code key}; when this returns the object is complete and durable. */
    void put(String key, Path file);

    /**
     * Stores a file the caller no longer needs under {@code key}; the file may be gone afterwards. A
     * target on the same file system moves it instead of copying it.
     */
    default void putMoving(String key, Path file) {
        put(key, file);
    }

    /** Stores a small object (a manifest) under {@code key}. */
    void putBytes(String key, byte[] data);

    /** Writes the object to {@code dest}, replacing it. NOT_FOUND when absent. */
    void get(String key, Path dest);

    /** A small object, or empty when absent. */
    Optional<byte[]> getBytes(String key);

    /** The keys that start with {@code prefix}, in ascending order. */
    List<String> list(String prefix);

    /** Removes an object; absent is not an error. */
    void delete(String key);

    /** Where this is, for messages: no credentials. */
    String describe();
}
