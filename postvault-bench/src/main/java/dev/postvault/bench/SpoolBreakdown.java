package dev.postvault.bench;

import dev.postvault.crypto.Durability;
import dev.postvault.crypto.HybridKem;
import dev.postvault.crypto.StreamSealer;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageStructureCodec;
import dev.postvault.mime.MessageText;
import dev.postvault.mime.MimeParser;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.MailboxLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A timer breakdown of the spool path, to tell fsync from crypto from MIME parsing from SQLite. The
 * steps {@code Spool.enqueue} takes are repeated one by one, through the same public APIs, on every
 * k-th message right after its real enqueue (so both see the same disk and load; the disk here is
 * shared and its fsync latency moves by 5x within minutes), into a directory beside the spool that
 * grows like the spool's segment does. The steps of the drain that are not SQLite are timed afterwards
 * on the records so written. What the steps do not explain is left as a residual: for the drain that is
 * mostly SQLite (blob, content, message, FTS5 trigram index, journal and receipt inserts, commit,
 * WAL checkpoints), the skeleton split and deflate, and removing the drained segment.
 */
public final class SpoolBreakdown {
    private record Sample(int index, long offset, int length, HybridKem.Encapsulation encapsulation) {}

    /** Mean nanoseconds per message for each step, in path order; sub-steps start with a space. */
    public record Result(int samples, Map<String, Double> enqueueSteps, Map<String, Double> drainSteps) {}

    private final Path dir;
    private final AliasRecord alias;
    private final List<Sample> samples = new ArrayList<>();
    private final FileChannel segment;
    private long decodeKey, encapsulate, seal, write, fsyncFile;

    public SpoolBreakdown(Path dir, AliasRecord alias) {
        this.dir = dir;
        this.alias = alias;
        try {
            Files.createDirectories(dir);
            segment = FileChannel.open(dir.resolve("breakdown.seg"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Times the enqueue steps once for {@code raw}, the {@code index}-th message. */
    public void sampleEnqueue(int index, byte[] raw) {
        try {
            long t0 = System.nanoTime();
            HybridKem.PublicKeys pub = HybridKem.PublicKeys.decode(alias.publicKey());
            long t1 = System.nanoTime();
            HybridKem.Encapsulated kem = HybridKem.encapsulate(pub);
            long t2 = System.nanoTime();
            var sealed = new ByteArrayOutputStream(raw.length + 2048);
            StreamSealer.seal(pub, new ByteArrayInputStream(raw), sealed);
            byte[] box = sealed.toByteArray();
            long t3 = System.nanoTime();
            long offset = segment.size();
            ByteBuffer buf = ByteBuffer.wrap(box);
            while (buf.hasRemaining()) segment.write(buf, offset + buf.position());
            long t4 = System.nanoTime();
            segment.force(false);
            long t5 = System.nanoTime();
            kem.key().destroy();
            decodeKey += t1 - t0;
            encapsulate += t2 - t1;
            seal += t3 - t2;
            write += t4 - t3;
            fsyncFile += t5 - t4;
            samples.add(new Sample(index, offset, box.length, kem.encapsulation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Times the drain's non-SQLite steps on the sampled files and returns all means. */
    public Result finish(HybridKem.KeyPairs keys, byte[][] mail) {
        int n = samples.size();
        if (n == 0) throw new IllegalStateException("no samples");
        long read = 0, decapsulate = 0, unseal = 0, parse = 0, text = 0, encode = 0, sha = 0;
        try {
            for (Sample s : samples) {
                byte[] raw = mail[s.index()];
                long r0 = System.nanoTime();
                ByteBuffer stored = ByteBuffer.allocate(s.length());
                while (stored.hasRemaining()) segment.read(stored, s.offset() + stored.position());
                long r1 = System.nanoTime();
                HybridKem.decapsulate(keys.privateKeys(), keys.publicKeys(), s.encapsulation()).destroy();
                long r2 = System.nanoTime();
                var plain = new ByteArrayOutputStream(raw.length);
                StreamSealer.open(keys.privateKeys(), keys.publicKeys(), new ByteArrayInputStream(stored.array()), plain);
                long r3 = System.nanoTime();
                MessageStructure structure = MimeParser.parse(raw);
                long r4 = System.nanoTime();
                String t = MessageText.extract(raw, structure, MailboxLimits.DEFAULT.maxIndexedBytes());
                long r5 = System.nanoTime();
                byte[] encoded = MessageStructureCodec.encode(structure);
                long r6 = System.nanoTime();
                byte[] digest = sha256(raw);
                long r7 = System.nanoTime();
                BenchmarkFailure.check(plain.size() == raw.length && !t.isEmpty() && encoded.length > 0 && digest.length == 32,
                        "breakdown: a step produced nothing");
                read += r1 - r0;
                decapsulate += r2 - r1;
                unseal += r3 - r2;
                parse += r4 - r3;
                text += r5 - r4;
                encode += r6 - r5;
                sha += r7 - r6;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                segment.close();
            } catch (IOException ignored) {
                // a scratch file in the benchmark's own directory
            }
        }
        double d = n;
        Map<String, Double> enqueue = new LinkedHashMap<>();
        enqueue.put("  decode alias public key (cached by the spool, not counted)", decodeKey / d);
        enqueue.put("seal in memory (hybrid KEM + ChaCha20-Poly1305)", seal / d);
        enqueue.put("  of which hybrid KEM encapsulation", encapsulate / d);
        enqueue.put("append to a segment (no sync)", write / d);
        enqueue.put("fdatasync (alone; concurrent senders share one)", fsyncFile / d);
        Map<String, Double> drain = new LinkedHashMap<>();
        drain.put("read the record", read / d);
        drain.put("unseal in memory (hybrid KEM + ChaCha20-Poly1305)", unseal / d);
        drain.put("  of which hybrid KEM decapsulation", decapsulate / d);
        drain.put("MIME parse", parse / d);
        drain.put("  text extraction for the FTS index (background indexing, not counted)", text / d);
        drain.put("encode cached structure", encode / d);
        drain.put("SHA-256 of the message", sha / d);
        return new Result(n, enqueue, drain);
    }

    public static void report(Result r, double enqueueMeanNanos, double drainMeanNanos, Report report) {
        report.note("");
        report.note("Breakdown per message (mean over " + r.samples() + " sampled messages, each step timed on its own):");
        steps(report, "enqueue", r.enqueueSteps(), enqueueMeanNanos, "rest of enqueue (not explained by the steps)");
        steps(report, "drain", r.drainSteps(), drainMeanNanos, "rest: SQLite inserts, commits, split, segment removal");
    }

    private static void steps(Report report, String what, Map<String, Double> steps, double totalMeanNanos, String residualLabel) {
        report.note("  %-56s %9s µs  %5s".formatted(what + " (mean in the run above)", micros(totalMeanNanos), "100%"));
        double explained = 0;
        for (var e : steps.entrySet()) {
            if (!e.getKey().startsWith(" ")) explained += e.getValue();
            report.note("    %-54s %9s µs  %5s".formatted(e.getKey(), micros(e.getValue()), percent(e.getValue(), totalMeanNanos)));
        }
        double rest = totalMeanNanos - explained;
        report.note("    %-54s %9s µs  %5s".formatted(residualLabel, micros(rest), percent(rest, totalMeanNanos)));
    }

    private static String micros(double nanos) {
        return "%.1f".formatted(nanos / 1e3);
    }

    private static String percent(double part, double whole) {
        return "%.0f%%".formatted(100 * part / whole);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
