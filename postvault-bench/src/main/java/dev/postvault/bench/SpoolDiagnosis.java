package dev.postvault.bench;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxLimits;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --diagnose}: experiments that explain the spool numbers, each on a fresh data directory with
 * fewer messages than the main run. (a) The drain with the full-text index fed no text
 * ({@code maxIndexedBytes = 0}), against the same drain with the defaults: the difference is what
 * FTS5 indexing costs. (b) Enqueue from several threads at once, as concurrent SMTP sessions would: how
 * much of the fsync latency overlaps. Every run is verified like the main one.
 */
public final class SpoolDiagnosis {
    static final int MESSAGES = 400;
    static final int WARMUP_MESSAGES = 100;
    static final int THREADS = 8;

    public record Run(String label, int messages, long enqueueNanos, long drainNanos, long mailboxFileBytes) {
        double enqueuePerSecond() {
            return messages / (enqueueNanos / 1e9);
        }

        double drainPerSecond() {
            return messages / (drainNanos / 1e9);
        }
    }

    public record Result(List<Run> runs) {}

    private SpoolDiagnosis() {}

    public static Result run(Path parent) {
        MailboxLimits noText = new MailboxLimits(MailboxLimits.DEFAULT.maxMessageBytes(), MailboxLimits.DEFAULT.blobThresholdBytes(), 0,
                MailboxLimits.DEFAULT.maxReadConnections(), MailboxLimits.DEFAULT.pageCacheKib(), MailboxLimits.DEFAULT.keyCacheEntries(),
                MailboxLimits.DEFAULT_LINGER, MailboxLimits.DEFAULT_MAX_LINGERING);
        List<Run> runs = new ArrayList<>();
        runs.add(once(parent, "defaults, 1 enqueuing thread", MailboxLimits.DEFAULT, 1));
        runs.add(once(parent, "no FTS text (maxIndexedBytes=0), 1 thread", noText, 1));
        runs.add(once(parent, "defaults, " + THREADS + " enqueuing threads", MailboxLimits.DEFAULT, THREADS));
        return new Result(List.copyOf(runs));
    }

    private static Run once(Path parent, String label, MailboxLimits limits, int threads) {
        var settings = new Node.Settings(Node.Settings.DEFAULT.argon2(), Node.Settings.DEFAULT.loginCacheTtl(), limits);
        try (DataDir dir = DataDir.create(parent, "diagnose"); Node node = Node.open(dir.path(), settings)) {
            node.control().addDomain("bench.test");
            var factory = new MessageFactory(5);
            Unlocked warm = login(node, "warmup@bench.test");
            byte[][] warmMail = new byte[WARMUP_MESSAGES][];
            for (int i = 0; i < WARMUP_MESSAGES; i++) warmMail[i] = factory.textMessage(1_000_000 + i, "warmup@bench.test", SpoolBench.receivedAt(i), SpoolBench.MESSAGE_BYTES);
            enqueue(node, warm, warmMail, threads);
            try (Mailbox mb = node.mailboxes().open(warm.alias().id(), warm.dek())) {
                node.spool().drain(mb);
            }

            String address = "diagnose@bench.test";
            Unlocked session = login(node, address);
            byte[][] mail = new byte[MESSAGES][];
            for (int i = 0; i < MESSAGES; i++) mail[i] = factory.textMessage(i, address, SpoolBench.receivedAt(i), SpoolBench.MESSAGE_BYTES);
            long a = System.nanoTime();
            enqueue(node, session, mail, threads);
            long enqueueNanos = System.nanoTime() - a;
            long drainNanos;
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                long b = System.nanoTime();
                int drained = node.spool().drain(mb);
                drainNanos = System.nanoTime() - b;
                BenchmarkFailure.check(drained == MESSAGES, label + ": drain moved " + drained + " of " + MESSAGES);
                SpoolBench.verify(node, mb, session.alias(), mail);
            }
            long fileBytes = DataDir.sizeOrZero(node.mailboxes().file(session.alias().id()));
            return new Run(label, MESSAGES, enqueueNanos, drainNanos, fileBytes);
        }
    }

    private static Unlocked login(Node node, String address) {
        var created = node.accounts().createAlias(address, Optional.empty(), false);
        return node.accounts().login(address, created.password());
    }

    private static void enqueue(Node node, Unlocked session, byte[][] mail, int threads) {
        if (threads == 1) {
            for (int i = 0; i < mail.length; i++) node.spool().enqueue(session.alias(), new ByteArrayInputStream(mail[i]), SpoolBench.receivedAt(i));
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < mail.length; i++) {
                int seq = i;
                done.add(pool.submit(() -> node.spool().enqueue(session.alias(), new ByteArrayInputStream(mail[seq]), SpoolBench.receivedAt(seq))));
            }
            for (Future<String> f : done) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("enqueue failed", e.getCause());
        }
    }

    public static void report(Result r, Report report) {
        report.section("3d. Spool diagnosis (" + MESSAGES + " messages of ~20 KB per run, fresh data directory each)");
        report.note("%-44s %14s %14s %16s".formatted("", "enqueue msg/s", "drain msg/s", "mailbox file"));
        for (Run run : r.runs()) {
            report.note("%-44s %14s %14s %,16d".formatted(run.label(), Report.number(run.enqueuePerSecond()), Report.number(run.drainPerSecond()),
                    run.mailboxFileBytes()));
        }
        report.note("verified after each run: INBOX holds exactly " + MESSAGES + " messages, identical byte for byte; spool empty");
    }
}
