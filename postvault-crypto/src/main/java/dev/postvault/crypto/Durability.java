package dev.postvault.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync helpers: a new file is durable only when its bytes and its directory entry are. */
public final class Durability {
    private Durability() {}

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * {@link #fsyncDirectory} where a file system that cannot sync a directory is not an error: the
     * renames before it are atomic anyway, only their durability across a power cut is weaker.
     */
    public static void fsyncDirectoryIfSupported(Path dir) {
        try {
            fsyncDirectory(dir);
        } catch (IOException ignored) {
            // not every file system can sync a directory
        }
    }
}
