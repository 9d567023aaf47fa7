package dev.postvault.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A tmpfs of a few megabytes mounted for a test that fills its disk; needs root, else it is absent. */
public final class SmallDisk implements AutoCloseable {
    private final Path path;

    private SmallDisk(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) reads it, e.g. "30m") at {@code where}, created if needed. */
    public static Optional<SmallDisk> mount(Path where, String size) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(where);
        if (!run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString())) return Optional.empty();
        return Optional.of(new SmallDisk(dir));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", path.toString());
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
