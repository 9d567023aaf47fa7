package dev.postvault.bench;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.spool.Spool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Benchmark 3: the delivery path for 20 KB text messages. {@code enqueue} seals each message to the
 * alias (hybrid KEM + ChaCha20-Poly1305) and appends it to the alias's spool segment, returning after
 * a group-commit fdatasync, as an SMTP 250 requires; {@code drain} moves what is waiting into the open
 * mailbox's INBOX. Two measurements, each in its own fresh data directory (the concurrent one with more
 * messages, the first of them the same bytes):
 *
 * <ul>
 *   <li><b>3a, sequential</b> ({@link #run}): on one thread, all N enqueues one after another, then a
 *       session opens the mailbox and one drain moves everything. Seal and drain times add up; the
 *       per-message breakdown ({@link SpoolBreakdown}) belongs to this run.</li>
 *   <li><b>3b, concurrent pipeline</b> ({@link #runConcurrent}): as an MX is loaded. K virtual
 *       threads (the SMTP sessions) enqueue the N messages between them as fast as they can, while one
 *       drainer (a logged-in IMAP session, mailbox already open) calls {@code drain} in a loop, waiting
 *       {@link #DRAIN_IDLE_WAIT} whenever it found nothing. Timed from the first enqueue until INBOX
 *       holds all N and every enqueue has returned. This is the figure the spool target is checked
 *       against.</li>
 * </ul>
 *
 * <p>After each run every message is read back and compared byte for byte with what was enqueued, INBOX
 * must hold exactly N messages and the spool directory must be empty; the concurrent drainer also fails
 * the run as soon as INBOX holds more than N (duplicated mail) or the spool is empty after the last
 * enqueue while INBOX holds fewer (lost mail).
 */
public final class SpoolBench {
    static final int MESSAGE_BYTES = 20 * 1024;
    static final int WARMUP_MESSAGES = 300;
    static final int BREAKDOWN_SAMPLES = 300;
    static final Instant FIRST_RECEIVED = Instant.parse("2025-11-01T00:00:00Z");
    /**
     * Messages the concurrent pipeline's warm-up run moves before the timed one. Most methods on the
     * path run once per message, and HotSpot compiles a method with C2 only after thousands of calls
     * (Tier4InvocationThreshold 5,000, Tier4CompileThreshold 15,000); with a warm-up of 200 or 1,000
     * the compiler was still busy for 1.5-5 s of every timed run, on the same two cores. With 6,000
     * (after the sequential run's 2,300) it compiles for 0.3-0.6 s of it: closer to a server that has
     * been up for a while.
     */
    static final int PIPELINE_WARMUP_MESSAGES = 6000;
    public static final int DEFAULT_SEALERS = 8;
    /** The spool target, in messages per second end to end, checked against the concurrent pipeline. */
    static final double TARGET_PER_SECOND = 500;
    /** How long the concurrent drainer waits after a drain that found nothing. */
    static final Duration DRAIN_IDLE_WAIT = Duration.ofMillis(2);
    /** How long the concurrent run waits for the background full-text indexing to catch up (reported, not timed into the rate). */
    static final Duration INDEX_WAIT = Duration.ofSeconds(60);

    public record Result(int messages, long messageBytes, Stats enqueue, long enqueueTotalNanos, Stats mailboxOpen,
            long drainNanos, long unindexedAfterDrain, Stats readBack, SpoolBreakdown.Result breakdown, long mailboxFileBytes, SpaceReport space) {

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

    /**
     * The concurrent pipeline (3b). {@code unindexedAtEnd}: messages not yet in the full-text index when
     * INBOX held all N; {@code indexCatchUpNanos}: how long after that the background indexing had
     * them all, or -1 if it had not within {@link #INDEX_WAIT}.
     */
    public record PipelineResult(int messages, int sealers, long messageBytes, Pipeline timing, long unindexedAtEnd, long indexCatchUpNanos,
            Stats readBack, long jitSettleMillis) {
        double endToEndPerSecond() {
            return messages / (timing.wallNanos() / 1e9);
        }

        double sealPerSecond() {
            return messages / (timing.sealNanos() / 1e9);
        }
    }

    /**
     * One run of the concurrent pipeline. All times are from the moment the sealers were released.
     *
     * @param wallNanos until INBOX held all N messages and every enqueue had returned
     * @param sealNanos until the last enqueue returned
     * @param inboxFullNanos until the drainer saw INBOX holding all N
     * @param enqueue the latency of each enqueue call, under the concurrent load
     * @param drainBusyNanos time the drainer spent inside {@code drain} (the rest it waited or counted)
     * @param drainCalls calls of {@code drain}, and of them the ones that moved something
     * @param largestDrain the most messages one {@code drain} call moved
     * @param inboxWhenSealed messages INBOX held when the last enqueue returned (counted right after it)
     */
    public record Pipeline(long wallNanos, long sealNanos, long inboxFullNanos, Stats enqueue, long drainBusyNanos, int drainCalls,
            int deliveringDrainCalls, int largestDrain, long inboxWhenSealed, long cpuNanos, long jitMillis) {
        /** Share of all cores' time the process used from the release until the last thread returned. */
        double cpuShare() {
            return cpuNanos / (double) (wallNanos * Runtime.getRuntime().availableProcessors());
        }

        double drainShare() {
            return drainBusyNanos / (double) wallNanos;
        }

        long tailNanos() {
            return Math.max(0, inboxFullNanos - sealNanos);
        }

        /** Messages per second into INBOX while the sealers ran, and after the last enqueue returned. */
        double drainPerSecondWhileSealing() {
            return inboxWhenSealed / (sealNanos / 1e9);
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
            long unindexed;
            SpoolBreakdown.Result steps;
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                openNanos = System.nanoTime() - openStart;
                long drainStart = System.nanoTime();
                int drained = node.spool().drain(mb);
                drainNanos = System.nanoTime() - drainStart;
                unindexed = mb.unindexedCount();
                BenchmarkFailure.check(drained == messages, "drain moved " + drained + " of " + messages + " messages");
                readBack = verify(node, mb, session.alias(), mail);
                steps = breakdown.finish(mb.aliasKeys(), mail);
            }
            BenchmarkFailure.check(node.mailboxes().openCount() == 0, "mailbox still open after its last handle closed");
            Path file = node.mailboxes().file(session.alias().id());
            long fileBytes = DataDir.sizeOrZero(file);
            return new Result(messages, totalBytes, Stats.of(enqueue), enqueueTotal, Stats.of(new long[] {openNanos}),
                    drainNanos, unindexed, readBack, steps, fileBytes, SpaceReport.of(file, session.dek()));
        }
    }

    /**
     * The concurrent pipeline (3b): {@code sealers} virtual threads enqueue the N messages between them
     * while one drainer, its mailbox already open, drains in a loop. A warm-up run of
     * {@link #PIPELINE_WARMUP_MESSAGES} on another alias comes first.
     */
    public static PipelineResult runConcurrent(Path parent, int messages, int sealers) {
        if (sealers < 1) throw new IllegalArgumentException("sealers must be at least 1");
        try (DataDir dir = DataDir.create(parent, "spool-pipeline"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            var factory = new MessageFactory(3); // the same messages as the sequential run

            Unlocked warm = createAndLogin(node, "warmup@bench.test");
            byte[][] warmMail = generate(factory, "warmup@bench.test", PIPELINE_WARMUP_MESSAGES, 1_000_000);
            try (Mailbox mb = node.mailboxes().open(warm.alias().id(), warm.dek())) {
                pipeline(node, warm.alias(), mb, warmMail, sealers);
                verify(node, mb, warm.alias(), warmMail);
            }

            String address = "spool@bench.test"; // so its first messages are the same bytes as the sequential run
            Unlocked session = createAndLogin(node, address);
            byte[][] mail = generate(factory, address, messages, 0);
            long totalBytes = Arrays.stream(mail).mapToLong(m -> m.length).sum();
            Pipeline timing;
            Stats readBack;
            long unindexed;
            long catchUp;
            long jitSettleMillis;
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                jitSettleMillis = JitSettle.await(Duration.ofSeconds(30));
                timing = pipeline(node, session.alias(), mb, mail, sealers);
                long waitStart = System.nanoTime();
                unindexed = mb.unindexedCount();
                catchUp = awaitIndexed(mb) ? System.nanoTime() - waitStart : -1;
                readBack = verify(node, mb, session.alias(), mail);
            }
            BenchmarkFailure.check(node.mailboxes().openCount() == 0, "mailbox still open after its last handle closed");
            return new PipelineResult(messages, sealers, totalBytes, timing, unindexed, catchUp, readBack, jitSettleMillis);
        }
    }

    /**
     * Runs the sealers and the drainer at once and returns when INBOX holds all of {@code mail} and
     * every enqueue has returned. Fails with {@link BenchmarkFailure} when INBOX ever holds more than
     * {@code mail.length} messages, when the spool runs empty after the last enqueue while INBOX holds
     * fewer, or when nothing completes within {@link #pipelineTimeout}; rethrows what a sealer or the
     * drainer threw. The caller verifies the contents afterwards ({@link #verify}).
     */
    static Pipeline pipeline(Node node, AliasRecord alias, Mailbox mb, byte[][] mail, int sealers) {
        int n = mail.length;
        Spool spool = node.spool();
        long inboxBefore = inboxCount(mb);
        BenchmarkFailure.check(inboxBefore == 0, "INBOX holds " + inboxBefore + " messages before the pipeline started");
        BenchmarkFailure.check(spool.pending(alias.id()).isEmpty(), "spool not empty before the pipeline started");

        var go = new CountDownLatch(1);
        var failure = new AtomicReference<Throwable>();
        var next = new AtomicInteger();
        var sealing = new AtomicInteger(sealers);
        var lastEnqueueEnd = new AtomicLong(Long.MIN_VALUE);
        long[] enqueueNanos = new long[n];
        String[] spoolIds = new String[n];
        List<Thread> threads = new ArrayList<>(sealers + 1);
        for (int k = 0; k < sealers; k++) {
            threads.add(Thread.ofVirtual().name("bench-sealer-" + k).start(() -> {
                try {
                    go.await();
                    for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                        long a = System.nanoTime();
                        spoolIds[i] = spool.enqueue(alias, new ByteArrayInputStream(mail[i]), receivedAt(i));
                        long b = System.nanoTime();
                        enqueueNanos[i] = b - a;
                        lastEnqueueEnd.accumulateAndGet(b, Math::max);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    sealing.decrementAndGet();
                }
            }));
        }
        var drainer = new Drainer(spool, mb, alias.id(), n, sealing, failure, pipelineTimeout(n));
        threads.add(Thread.ofVirtual().name("bench-drainer").start(() -> {
            try {
                go.await();
                drainer.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }));

        long cpuBefore = processCpuNanos();
        long jitBefore = Math.max(0, JitSettle.compilationMillis());
        long start = System.nanoTime();
        go.countDown();
        // The sealers first: right after the last enqueue returned, count INBOX (a reader, beside the drain).
        long inboxWhenSealed = -1;
        for (int k = 0; k < threads.size(); k++) {
            try {
                threads.get(k).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
            if (k == sealers - 1 && failure.get() == null) inboxWhenSealed = inboxCount(mb);
        }
        long cpuNanos = processCpuNanos() - cpuBefore;
        long jitMillis = Math.max(0, JitSettle.compilationMillis()) - jitBefore;
        Throwable failed = failure.get();
        if (failed instanceof BenchmarkFailure bf) throw bf;
        if (failed != null) throw new IllegalStateException("concurrent pipeline failed: " + failed, failed);

        BenchmarkFailure.check(new HashSet<>(Arrays.asList(spoolIds)).size() == n && !Arrays.asList(spoolIds).contains(null),
                "the " + n + " enqueues did not return " + n + " distinct spool ids");
        long sealNanos = lastEnqueueEnd.get() - start;
        long inboxFullNanos = drainer.inboxFullAt - start;
        return new Pipeline(Math.max(sealNanos, inboxFullNanos), sealNanos, inboxFullNanos, Stats.of(enqueueNanos), drainer.busyNanos,
                drainer.calls, drainer.deliveringCalls, drainer.largest, inboxWhenSealed, cpuNanos, jitMillis);
    }

    /** CPU time of the whole process (all threads, user and system, JIT and GC included), or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** A guard against a hang, far above any plausible run: 30 s plus 50 ms per message. */
    static Duration pipelineTimeout(int messages) {
        return Duration.ofSeconds(30).plusMillis(50L * messages);
    }

    /** Waits, polling every 10 ms, until the background indexing has every message; false after {@link #INDEX_WAIT}. */
    private static boolean awaitIndexed(Mailbox mb) {
        long deadline = System.nanoTime() + INDEX_WAIT.toNanos();
        while (mb.unindexedCount() > 0) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static long inboxCount(Mailbox mb) {
        return mb.status(Folder.INBOX).messages();
    }

    /**
     * The drainer of the concurrent pipeline, as a logged-in IMAP session: {@code drain} in a loop;
     * after each drain that moved something, count INBOX; after one that moved nothing, wait
     * {@link #DRAIN_IDLE_WAIT}. Its fields are read after its thread has been joined.
     */
    private static final class Drainer {
        private final Spool spool;
        private final Mailbox mb;
        private final String aliasId;
        private final int expected;
        private final AtomicInteger sealing;
        private final AtomicReference<Throwable> failure;
        private final Duration timeout;

        long inboxFullAt;
        long busyNanos;
        int calls;
        int deliveringCalls;
        int largest;

        Drainer(Spool spool, Mailbox mb, String aliasId, int expected, AtomicInteger sealing, AtomicReference<Throwable> failure,
                Duration timeout) {
            this.spool = spool;
            this.mb = mb;
            this.aliasId = aliasId;
            this.expected = expected;
            this.sealing = sealing;
            this.failure = failure;
            this.timeout = timeout;
        }

        void run() throws InterruptedException {
            long started = System.nanoTime();
            long deadline = started + timeout.toNanos();
            long inbox = 0;
            while (failure.get() == null) {
                long a = System.nanoTime();
                int moved = spool.drain(mb);
                long b = System.nanoTime();
                calls++;
                busyNanos += b - a;
                if (moved > 0) {
                    deliveringCalls++;
                    largest = Math.max(largest, moved);
                    inbox = inboxCount(mb);
                    long c = System.nanoTime();
                    BenchmarkFailure.check(inbox <= expected, "INBOX holds " + inbox + " messages, more than the " + expected
                            + " enqueued: mail was duplicated");
                    if (inbox == expected) {
                        inboxFullAt = c;
                        return;
                    }
                } else {
                    // Every enqueue has returned (each file is in place before it does) and nothing is
                    // left to drain, yet INBOX is short: messages were lost.
                    if (sealing.get() == 0 && failure.get() == null && spool.pending(aliasId).isEmpty()) {
                        inbox = inboxCount(mb);
                        throw new BenchmarkFailure("every enqueue returned and the spool is empty, but INBOX holds " + inbox + " of "
                                + expected + " messages: mail was lost");
                    }
                    Thread.sleep(DRAIN_IDLE_WAIT);
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkFailure("INBOX holds only " + inbox + " of " + expected + " messages after " + timeout.toSeconds()
                            + " s of concurrent delivery (" + spool.pending(aliasId).size() + " still in the spool)");
                }
            }
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
        report.section("3a. Spool seal + drain, sequential: " + r.messages() + " messages of ~20 KB (" + Report.bytes(r.messageBytes())
                + "), one thread, all enqueues then one drain");
        report.timingHeader();
        report.timing("enqueue one message (seal + append + fdatasync)", r.enqueue());
        report.timing("read one message back after the drain", r.readBack());
        report.value("mailbox open before the drain", Report.millis(r.mailboxOpen().medianNanos()) + " ms");
        report.value("seal (sum of the enqueue calls)", "%s s  = %s messages/s".formatted(seconds(r.enqueueTotalNanos()), Report.number(r.sealPerSecond())));
        report.value("drain (all into INBOX)", "%s s  = %s messages/s".formatted(seconds(r.drainNanos()), Report.number(r.drainPerSecond())));
        report.value("full-text index backlog when drain returned", "%d of %d messages (indexed in the background)".formatted(
                r.unindexedAfterDrain(), r.messages()));
        report.value("combined: seal time + drain time", "%s s  = %s messages/s".formatted(seconds(r.enqueueTotalNanos() + r.drainNanos()),
                Report.number(r.combinedPerSecond())));
        report.note("verified: INBOX holds exactly " + r.messages() + " messages, all identical byte for byte; spool empty");
        report.value("mailbox file after the drain (closed)", Report.bytes(r.mailboxFileBytes()));
        r.space().print(report, 4);
        report.reference("seal + drain, sequential (1 thread)", r.combinedPerSecond(), "messages/s",
                "reference; the target is checked in 3b");
        SpoolBreakdown.report(r.breakdown(), r.enqueueTotalNanos() / (double) r.messages(), r.drainNanos() / (double) r.messages(), report);
    }

    public static void reportConcurrent(PipelineResult r, Report report) {
        Pipeline t = r.timing();
        report.section("3b. Spool concurrent pipeline: " + r.messages() + " messages of ~20 KB (" + Report.bytes(r.messageBytes()) + "), "
                + r.sealers() + " sealer threads + 1 drainer at the same time");
        report.value("JIT queue drained before the run", r.jitSettleMillis() < 0 ? "not measurable on this JVM"
                : "after waiting " + r.jitSettleMillis() + " ms (see JitSettle)");
        report.timingHeader();
        report.timing("enqueue one message, " + r.sealers() + " at once", t.enqueue());
        report.timing("read one message back after the run", r.readBack());
        report.value("end to end: first enqueue -> all in INBOX", "%s s  = %s messages/s".formatted(seconds(t.wallNanos()),
                Report.number(r.endToEndPerSecond())));
        report.value("sealing: first -> last enqueue returned", "%s s  = %s messages/s".formatted(seconds(t.sealNanos()),
                Report.number(r.sealPerSecond())));
        report.value("drain's share: time inside drain()", "%s s  = %.0f%% of the end-to-end time".formatted(seconds(t.drainBusyNanos()),
                100 * t.drainShare()));
        report.value("process CPU during the run", "%s s  = %s ms per message, %.0f%% of all cores".formatted(seconds(t.cpuNanos()),
                "%.2f".formatted(t.cpuNanos() / 1e6 / r.messages()), 100 * t.cpuShare()));
        report.value("JIT compiling during the run", "%s s (compiler threads' elapsed time; they share the same cores)".formatted(
                seconds(t.jitMillis() * 1_000_000)));
        report.value("drain calls", "%d, of them %d moved mail (largest: %d messages)".formatted(t.drainCalls(), t.deliveringDrainCalls(),
                t.largestDrain()));
        long tail = r.messages() - t.inboxWhenSealed();
        report.value("into INBOX while the sealers ran", "%d of %d = %s messages/s".formatted(t.inboxWhenSealed(), r.messages(),
                Report.number(t.drainPerSecondWhileSealing())));
        report.value("into INBOX after the last enqueue returned", "%d in %s s = %s messages/s".formatted(tail, seconds(t.tailNanos()),
                t.tailNanos() > 0 ? Report.number(tail / (t.tailNanos() / 1e9)) : "-"));
        report.value("full-text index backlog when all in INBOX", "%d of %d messages; %s".formatted(r.unindexedAtEnd(), r.messages(),
                r.indexCatchUpNanos() < 0 ? "not caught up within " + INDEX_WAIT.toSeconds() + " s"
                        : "background indexing caught up " + seconds(r.indexCatchUpNanos()) + " s later (not in the rate)"));
        report.note("verified: INBOX holds exactly " + r.messages() + " messages, all identical byte for byte; spool empty");
        report.target(Target.atLeast("seal + drain, concurrent (" + r.sealers() + " sealers)", r.endToEndPerSecond(), TARGET_PER_SECOND,
                "messages/s"));
    }

    private static String seconds(long nanos) {
        return "%.3f".formatted(nanos / 1e9);
    }
}
