package dev.postvault.bench;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.MessageMeta;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark 4: on-disk cost of a shared attachment. 100 messages, each with its own text body and the
 * same 1 MB attachment (1,000,000 random bytes, base64 in 76-character CRLF lines), are appended to
 * INBOX, in three shapes ({@link MessageFactory.Shape}), each into a mailbox of its own: 4a a mail
 * client's header and a one-line note, 4b a letter of its own (0.3 to 1.5 KB of text) with the header
 * as delivered, 4c the same DKIM-signed. The target applies to 4a, where the messages share the
 * attachment and carry little else; 4b and 4c show what each message's own text and header cost
 * (docs/benchmarks.md).
 * The size counted is the mailbox file at rest: after the background pass has indexed everything and
 * merged the index, and every handle is closed (closing checkpoints the WAL and returns free pages),
 * plus any -wal or -shm file left beside it. 1 MB = 1,000,000 bytes throughout. Afterwards the file
 * is reopened and every message compared byte for byte.
 */
public final class AttachmentBench {
    static final int MESSAGES = 100;
    static final int ATTACHMENT_BYTES = 1_000_000;
    static final long TARGET_BYTES = 1_300_000;
    static final Instant FIRST_DATE = Instant.parse("2025-11-01T00:00:00Z");

    public record Result(MessageFactory.Shape shape, long emptyMailboxBytes, long mailboxBytes, long sideFileBytes, long rawTotalBytes, Stats append,
            SpaceReport space) {
        long totalBytes() {
            return mailboxBytes + sideFileBytes;
        }
    }

    private AttachmentBench() {}

    /** Every shape, smallest header first. */
    public static List<Result> run(Path parent) {
        try (DataDir dir = DataDir.create(parent, "attachment"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            List<Result> results = new java.util.ArrayList<>();
            for (var shape : MessageFactory.Shape.values()) {
                results.add(run(node, shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', '.') + "@bench.test", shape));
            }
            return results;
        }
    }

    private static Result run(Node node, String address, MessageFactory.Shape shape) {
        var created = node.accounts().createAlias(address, Optional.empty(), false);
        Unlocked session = node.accounts().login(address, created.password());
        String aliasId = session.alias().id();
        Path file = node.mailboxes().file(aliasId);
        long empty = DataDir.sizeOrZero(file);

        var factory = new MessageFactory(4);
        byte[] attachment = MessageFactory.base64Lines(factory.randomBytes(ATTACHMENT_BYTES));
        long[] append = new long[MESSAGES];
        long rawTotal = 0;
        try (Mailbox mb = node.mailboxes().open(aliasId, session.dek())) {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] raw = factory.attachmentMessage(i, address, date(i), attachment, shape);
                rawTotal += raw.length;
                long a = System.nanoTime();
                mb.append(Folder.INBOX, raw, MessageFlags.NONE, date(i));
                append[i] = System.nanoTime() - a;
            }
            // Measured at rest: the background pass indexes and merges index segments after delivery.
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!mb.indexIdle()) {
                BenchmarkFailure.check(System.nanoTime() < deadline, "background indexing did not finish within 60 s");
                sleep(20);
            }
        }
        BenchmarkFailure.check(node.mailboxes().openCount() == 0, "mailbox still open after its last handle closed");
        long size = DataDir.sizeOrZero(file);
        long side = DataDir.sizeOrZero(sibling(file, "-wal")) + DataDir.sizeOrZero(sibling(file, "-shm"))
                + DataDir.sizeOrZero(sibling(file, "-journal"));

        try (Mailbox mb = node.mailboxes().open(aliasId, session.dek())) {
            List<MessageMeta> inbox = mb.messages(mb.folder(Folder.INBOX).id());
            BenchmarkFailure.check(inbox.size() == MESSAGES, "INBOX holds " + inbox.size() + " messages, expected " + MESSAGES);
            boolean[] seen = new boolean[MESSAGES];
            for (MessageMeta m : inbox) {
                int seq = (int) Duration.between(FIRST_DATE, m.internalDate()).toSeconds();
                BenchmarkFailure.check(seq >= 0 && seq < MESSAGES && !seen[seq], "unexpected internal date " + m.internalDate());
                seen[seq] = true;
                BenchmarkFailure.check(Arrays.equals(mb.raw(m.contentId()), factory.attachmentMessage(seq, address, date(seq), attachment, shape)),
                        "message " + seq + " did not come back byte for byte");
            }
        }
        return new Result(shape, empty, size, side, rawTotal, Stats.of(append), SpaceReport.of(file, session.dek()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Instant date(int i) {
        return FIRST_DATE.plusSeconds(i);
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    public static void report(List<Result> results, Report report) {
        for (Result r : results) report(r, report);
    }

    private static void report(Result r, Report report) {
        String title = switch (r.shape()) {
            case NOTE -> "4a. a one-line note each";
            case LETTER -> "4b. a letter each, as delivered";
            case SIGNED_LETTER -> "4c. a letter each, as delivered, DKIM-signed";
        };
        report.section(title + ": " + MESSAGES + " messages sharing one 1 MB attachment (1,000,000 random bytes, base64)");
        report.timingHeader();
        report.timing("append one message (~1.37 MB raw)", r.append());
        report.value("raw size of the 100 messages", Report.bytes(r.rawTotalBytes()));
        report.value("new, empty mailbox file", Report.bytes(r.emptyMailboxBytes()));
        report.value("mailbox file after all handles closed", Report.bytes(r.mailboxBytes()));
        report.value("-wal / -shm / -journal left beside it", Report.bytes(r.sideFileBytes()));
        report.value("beyond one copy of the attachment, per message",
                Report.bytes((r.totalBytes() - ATTACHMENT_BYTES) / MESSAGES));
        r.space().print(report, 8);
        report.note("verified: all " + MESSAGES + " messages identical byte for byte after reopening");
        if (r.shape() == MessageFactory.Shape.NOTE) {
            report.target(Target.atMost("mailbox size on disk, a note each", r.totalBytes() / 1e6, TARGET_BYTES / 1e6, "MB"));
        }
    }
}
