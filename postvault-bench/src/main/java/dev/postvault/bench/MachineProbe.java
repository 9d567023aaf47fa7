package dev.postvault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Conditions that move I/O-bound numbers: the load average (other processes competing for the two
 * cores) and the fsync latency of the file system the data directories live on.
 */
public final class MachineProbe {
    static final int FSYNC_SAMPLES = 50;

    private MachineProbe() {}

    /** The 1-, 5- and 15-minute load averages from /proc/loadavg, if this is Linux. */
    public static Optional<String> loadAverage() {
        Path p = Path.of("/proc/loadavg");
        if (!Files.isReadable(p)) return Optional.empty();
        try {
            String[] f = Files.readString(p).strip().split("\\s+");
            return f.length >= 3 ? Optional.of(f[0] + " " + f[1] + " " + f[2]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Latency of {@code FileChannel.force(true)} after a 4 KB write to a new file, in a fresh directory under {@code parent}. */
    public static Stats fsyncLatency(Path parent) {
        try (DataDir dir = DataDir.create(parent, "fsync")) {
            byte[] page = new byte[4096];
            long[] nanos = new long[FSYNC_SAMPLES];
            for (int i = 0; i < FSYNC_SAMPLES; i++) {
                try (FileChannel ch = FileChannel.open(dir.path().resolve("f" + i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(page);
                    while (b.hasRemaining()) ch.write(b);
                    long a = System.nanoTime();
                    ch.force(true);
                    nanos[i] = System.nanoTime() - a;
                }
            }
            return Stats.of(nanos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line: load average and fsync latency now. */
    public static String conditions(Path parent) {
        Stats f = fsyncLatency(parent);
        return "load average " + loadAverage().orElse("n/a") + "; fsync of a 4 KB file: median " + Report.millis(f.medianNanos())
                + " ms, p90 " + Report.millis(f.p90Nanos()) + " ms";
    }
}
