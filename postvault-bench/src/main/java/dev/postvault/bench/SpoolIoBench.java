package dev.postvault.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What making a 20 KB message durable costs on this file system, by method: the numbers behind ADR
 * 0007. Each way runs 1,000 times on one platform thread; reported per message are the wall time and
 * the thread's CPU time, split into user and kernel. Run: {@code postvault-bench/run-java.sh
 * dev.postvault.bench.SpoolIoBench [DIR]} (default: java.io.tmpdir).
 */
public final class SpoolIoBench {
    private static final int MESSAGES = 1000;
    private static final int BYTES = 20 * 1024;

    private SpoolIoBench() {}

    private interface Way {
        void store(Path dir, FileChannel segment, int i, byte[] data) throws IOException;
    }

    public static void main(String[] args) throws IOException {
        Path parent = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        byte[] data = new byte[BYTES];
        new Random(1).nextBytes(data);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        record Named(String name, int groupSync, Way way) {}
        Named[] ways = {
            new Named("new file, fsync, rename, fsync directory", 0, (dir, seg, i, d) -> {
                Path tmp = dir.resolve(".tmp-" + i);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    write(ch, d, 0);
                    ch.force(true);
                }
                Files.move(tmp, dir.resolve(i + ".msg"), StandardCopyOption.ATOMIC_MOVE);
                try (FileChannel d2 = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d2.force(true);
                }
            }),
            new Named("append to one file, fdatasync each", 1, (dir, seg, i, d) -> write(seg, d, seg.size())),
            new Named("append to one file, fdatasync per 8", 8, (dir, seg, i, d) -> write(seg, d, seg.size())),
        };
        System.out.printf("%d messages of %d bytes in %s%n", MESSAGES, BYTES, parent);
        for (int round = 0; round < 2; round++) {
            for (Named w : ways) {
                Path dir = Files.createTempDirectory(parent, "spool-io");
                try (FileChannel seg = FileChannel.open(dir.resolve("segment"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long user0 = threads.getCurrentThreadUserTime();
                    long wall0 = System.nanoTime();
                    for (int i = 0; i < MESSAGES; i++) {
                        w.way().store(dir, seg, i, data);
                        if (w.groupSync() > 0 && (i + 1) % w.groupSync() == 0) seg.force(false);
                    }
                    long wall = System.nanoTime() - wall0;
                    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                    long user = threads.getCurrentThreadUserTime() - user0;
                    if (round == 1) { // the first round warms up the JIT and the file system
                        System.out.printf("  %-44s wall %6.0f µs   CPU %6.0f µs (kernel %6.0f µs) per message%n", w.name(),
                                wall / 1e3 / MESSAGES, cpu / 1e3 / MESSAGES, (cpu - user) / 1e3 / MESSAGES);
                    }
                } finally {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path p : files.toList()) Files.delete(p);
                    }
                    Files.delete(dir);
                }
            }
        }
    }

    private static void write(FileChannel ch, byte[] data, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) ch.write(b, at + b.position());
    }
}
