package dev.postvault.bench;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Benchmark 3: the offline delivery path for 20 KB text messages. {@code enqueue} seals each message
 * to the alias (hybrid KEM + ChaCha20-Poly1305) and fsyncs file and directory before returning, as an
 * SMTP 250 requires; then a session opens the mailbox and {@code drain} moves everything into INBOX.
 * Everything runs on one thread, one message after another.
 *
 * <p>Afterwards every message is read back and compared byte for byte with what was enqueued, INBOX
 * must hold exactly N messages and the spool directory must be empty.
 */
public final class SpoolBench {
    static final int MESSAGE_BYTES = 20 * 1024;
    static final int WARMUP_MESSAGES = 300;
    static final int BREAKDOWN_SAMPLES = 300;
    static final Instant FIRST_RECEIVED = Instant.parse("2025-11-01T00:00:00Z");

    public record Result(int messages, long messageBytes, Stats enqueue, long enqueueTotalNanos, Stats mailboxOpen,
            long drainNanos, Stats readBack, SpoolBreakdown.Result breakdown, long mailboxFileBytes, SpaceReport space) {

        double sealPerSecond() {
            return messages / (enqueueTotalNanos / 1e9);
        }

        double drainPerSecond() {
            return messages / (drainNanos / 1e9);
        }

        double combinedPerSecond() {
            return messages / ((enqueueTotalNanos + drainNanos) / 1e9);
        }
    }

    private SpoolBench() {}

    public static Result run(Path parent, int messages) {
        try (DataDir dir = DataDir.create(parent, "spool"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            var factory = new MessageFactory(3);

            // Warm-up: the whole path once, on another alias, so the timed run meets compiled code.
            Unlocked warm = createAndLogin(node, "warmup@bench.test");
            byte[][] warmMail = generate(factory, "warmup@bench.test", WARMUP_MESSAGES, 1_000_000);
            enqueueAll(node, warm.alias(), warmMail);
            try (Mailbox mb = node.mailboxes().open(warm.alias().id(), warm.dek())) {
                BenchmarkFailure.check(node.spool().drain(mb) == WARMUP_MESSAGES, "warm-up drain lost messages");
            }

            String address = "spool@bench.test";
            Unlocked session = createAndLogin(node, address);
            byte[][] mail = generate(factory, address, messages, 0);
            long totalBytes = Arrays.stream(mail).mapToLong(m -> m.length).sum();

            // Every k-th message, right after its real enqueue, the breakdown repeats the steps one by one.
            var breakdown = new SpoolBreakdown(dir.path().resolve("breakdown"), session.alias());
            int every = Math.max(1, messages / BREAKDOWN_SAMPLES);
            long[] enqueue = new long[messages];
            for (int i = 0; i < messages; i++) {
                long a = System.nanoTime();
                node.spool().enqueue(session.alias(), new ByteArrayInputStream(mail[i]), receivedAt(i));
                enqueue[i] = System.nanoTime() - a;
                if (i % every == 0) breakdown.sampleEnqueue(i, mail[i]);
            }
            long enqueueTotal = Arrays.stream(enqueue).sum();
            BenchmarkFailure.check(node.spool().pending(session.alias().id()).size() == messages, "spool does not hold every enqueued message");

            long openStart = System.nanoTime();
            Stats readBack;
            long drainNanos;
            long openNanos;
            SpoolBreakdown.Result steps;
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                openNanos = System.nanoTime() - openStart;
                long drainStart = System.nanoTime();
                int drained = node.spool().drain(mb);
                drainNanos = System.nanoTime() - drainStart;
                BenchmarkFailure.check(drained == messages, "drain moved " + drained + " of " + messages + " messages");
                readBack = verify(node, mb, session.alias(), mail);
                steps = breakdown.finish(mb.aliasKeys(), mail);
            }
            BenchmarkFailure.check(node.mailboxes().openCount() == 0, "mailbox still open after its last handle closed");
            Path file = node.mailboxes().file(session.alias().id());
            long fileBytes = DataDir.sizeOrZero(file);
            return new Result(messages, totalBytes, Stats.of(enqueue), enqueueTotal, Stats.of(new long[] {openNanos}),
                    drainNanos, readBack, steps, fileBytes, SpaceReport.of(file, session.dek()));
        }
    }

    /**
     * INBOX holds exactly the enqueued messages, each once and byte for byte, and the spool is empty.
     * Returns the timings of reading each message back.
     */
    static Stats verify(Node node, Mailbox mb, AliasRecord alias, byte[][] mail) {
        List<MessageMeta> inbox = mb.messages(mb.folder(Folder.INBOX).id());
        BenchmarkFailure.check(inbox.size() == mail.length, "INBOX holds " + inbox.size() + " messages, expected " + mail.length);
        boolean[] seen = new boolean[mail.length];
        long[] read = new long[inbox.size()];
        int k = 0;
        for (MessageMeta m : inbox) {
            long seq = Duration.between(FIRST_RECEIVED, m.internalDate()).toSeconds();
            BenchmarkFailure.check(seq >= 0 && seq < mail.length && !seen[(int) seq], "unexpected or duplicated internal date " + m.internalDate());
            seen[(int) seq] = true;
            BenchmarkFailure.check(m.size() == mail[(int) seq].length, "message " + seq + " has the wrong size");
            long a = System.nanoTime();
            byte[] raw = mb.raw(m.contentId());
            read[k++] = System.nanoTime() - a;
            BenchmarkFailure.check(Arrays.equals(raw, mail[(int) seq]), "message " + seq + " did not come back byte for byte");
        }
        BenchmarkFailure.check(node.spool().pending(alias.id()).isEmpty(), "spool still holds messages after the drain");
        Path spoolDir = node.dataDir().resolve("spool").resolve(alias.id());
        if (Files.isDirectory(spoolDir)) {
            try (Stream<Path> left = Files.list(spoolDir)) {
                List<String> names = left.map(p -> p.getFileName().toString()).toList();
                BenchmarkFailure.check(names.isEmpty(), "files left in the spool: " + names.size() + ", e.g. " + names.stream().findFirst().orElse(""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stats.of(read);
    }

    private static Unlocked createAndLogin(Node node, String address) {
        var created = node.accounts().createAlias(address, Optional.empty(), false);
        return node.accounts().login(address, created.password());
    }

    private static byte[][] generate(MessageFactory factory, String to, int n, int firstSeq) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) out[i] = factory.textMessage(firstSeq + i, to, receivedAt(i), MESSAGE_BYTES);
        return out;
    }

    private static void enqueueAll(Node node, AliasRecord alias, byte[][] mail) {
        for (int i = 0; i < mail.length; i++) node.spool().enqueue(alias, new ByteArrayInputStream(mail[i]), receivedAt(i));
    }

    /** One second apart, so the internal date names the message and spool order is enqueue order. */
    static Instant receivedAt(int i) {
        return FIRST_RECEIVED.plusSeconds(i);
    }

    public static void report(Result r, Report report) {
        report.section("3. Spool seal + drain, " + r.messages() + " messages of ~20 KB (" + Report.bytes(r.messageBytes()) + "), one thread");
        report.timingHeader();
        report.timing("enqueue one message (seal + fsync file + dir)", r.enqueue());
        report.timing("read one message back after the drain", r.readBack());
        report.value("mailbox open before the drain", Report.millis(r.mailboxOpen().medianNanos()) + " ms");
        report.value("seal (sum of the enqueue calls)", "%s s  = %s messages/s".formatted(seconds(r.enqueueTotalNanos()), Report.number(r.sealPerSecond())));
        report.value("drain (all into INBOX)", "%s s  = %s messages/s".formatted(seconds(r.drainNanos()), Report.number(r.drainPerSecond())));
        report.value("combined pipeline", "%s s  = %s messages/s".formatted(seconds(r.enqueueTotalNanos() + r.drainNanos()),
                Report.number(r.combinedPerSecond())));
        report.note("verified: INBOX holds exactly " + r.messages() + " messages, all identical byte for byte; spool empty");
        report.value("mailbox file after the drain (closed)", Report.bytes(r.mailboxFileBytes()));
        r.space().print(report, 4);
        report.target(Target.atLeast("seal + drain, combined", r.combinedPerSecond(), 500, "messages/s"));
        SpoolBreakdown.report(r.breakdown(), r.enqueueTotalNanos() / (double) r.messages(), r.drainNanos() / (double) r.messages(), report);
    }

    private static String seconds(long nanos) {
        return "%.3f".formatted(nanos / 1e9);
    }
}
