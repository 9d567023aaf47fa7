package dev.postvault.bench;

import dev.postvault.backup.BackupTarget;
import dev.postvault.backup.DirectoryTarget;
import dev.postvault.backup.MailboxBackups;
import dev.postvault.backup.Retention;
import dev.postvault.backup.S3Target;
import dev.postvault.backup.S3TestServer;
import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.Snapshots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Issue 5's measurements on a generated mailbox of about 1 GB (by default): a verified snapshot
 * backup into a directory, a backup when nothing changed, a dormant (ciphertext) copy, and upload and
 * download throughput to a real S3 server (s3proxy on loopback, objects on the same disk). Run by
 * {@code postvault-bench/run-backup.sh [--mb N]}.
 */
public final class BackupBench {
    private static final String ADDRESS = "backup-bench@bench.test";
    private static final String PASSWORD = "backup bench password, long enough";

    private BackupBench() {}

    public static void main(String[] args) throws Exception {
        long targetMb = 1024;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mb" -> targetMb = Long.parseLong(args[++i]);
                case "--dir" -> parent = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: BackupBench [--mb N] [--dir PARENT]");
            }
        }
        Report report = new Report(System.out);
        report.section("Backups of a " + targetMb + " MB mailbox");
        report.note(MachineProbe.conditions(parent));
        try (DataDir dir = DataDir.create(parent, "backup"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            long t0 = System.nanoTime();
            long raw = fill(node, u, targetMb * 1024 * 1024);
            report.value("filled", "%,d bytes of mail in %.1f s".formatted(raw, secs(t0)));
            Path file = node.mailboxes().file(u.alias().id());

            var dirTarget = new DirectoryTarget(dir.path().resolve("backups"));
            var service = new MailboxBackups(node.mailboxes(), node.spool(), dirTarget, dir.path().resolve("tmp"), Retention.DEFAULT, Clock.systemUTC());
            try (Mailbox m = node.mailboxes().open(u.alias().id(), u.dek())) {
                report.value("mailbox file", Report.bytes(Files.size(file)));
                long a = System.nanoTime();
                var stored = (MailboxBackups.Outcome.Stored) service.backup(u.alias(), Optional.of(m));
                report.value("snapshot backup (VACUUM INTO, integrity_check, SHA-256, store)",
                        "%.1f s, version %,d bytes".formatted(secs(a), stored.manifest().size()));
                long b = System.nanoTime();
                var unchanged = service.backup(u.alias(), Optional.of(m));
                BenchmarkFailure.check(unchanged instanceof MailboxBackups.Outcome.Unchanged, "expected no change: " + unchanged);
                report.value("no-change backup (checkpoint + hash, nothing stored)", "%.2f s".formatted(secs(b)));
                Path copy = dir.path().resolve("snapshot-only.sqlite");
                long c = System.nanoTime();
                m.snapshot(copy, Optional.empty());
                double vacuum = secs(c);
                long d = System.nanoTime();
                m.verifyCopy(copy);
                double verify = secs(d);
                long e = System.nanoTime();
                Snapshots.sha256(copy);
                report.value("  of which", "VACUUM INTO %.1f s, integrity_check %.1f s, SHA-256 %.1f s".formatted(vacuum, verify, secs(e)));
                Files.delete(copy);
            }
            long f = System.nanoTime();
            var dormant = service.backup(u.alias(), Optional.empty());
            report.value("dormant backup after close (byte copy)", "%.1f s (%s)".formatted(secs(f), dormant.getClass().getSimpleName()));

            try (var s3 = new S3TestServer(dir.path().resolve("s3"))) {
                S3Target target = new S3Target(s3.bucket("bench", "postvault/"));
                try (target) {
                    long size = Files.size(file);
                    long g = System.nanoTime();
                    target.put("bench/object", file);
                    double up = secs(g);
                    Path back = dir.path().resolve("downloaded");
                    long h = System.nanoTime();
                    target.get("bench/object", back);
                    double down = secs(h);
                    report.value("S3 upload (s3proxy on loopback)", "%.1f MB/s (%,d bytes in %.1f s)".formatted(size / 1e6 / up, size, up));
                    report.value("S3 download", "%.1f MB/s".formatted(size / 1e6 / down));
                    BenchmarkFailure.check(Files.mismatch(file, back) == -1, "downloaded object differs");
                    Files.delete(back);
                    BackupTarget t = target;
                    var s3Service = new MailboxBackups(node.mailboxes(), node.spool(), t, dir.path().resolve("tmp"), Retention.DEFAULT, Clock.systemUTC());
                    long k = System.nanoTime();
                    var o = s3Service.backup(u.alias(), Optional.empty());
                    report.value("dormant backup to S3", "%.1f s (%s)".formatted(secs(k), o.getClass().getSimpleName()));
                }
            }
        }
    }

    /** Appends messages with distinct 1 MB attachments (random, so nothing de-duplicates) up to {@code bytes}. */
    private static long fill(Node node, Unlocked u, long bytes) {
        Random r = new Random(5);
        long written = 0;
        int n = 0;
        try (Mailbox m = node.mailboxes().open(u.alias().id(), u.dek())) {
            while (written < bytes) {
                List<Mailbox.NewMessage> batch = new ArrayList<>();
                for (int i = 0; i < 16 && written < bytes; i++, n++) {
                    byte[] att = new byte[768 * 1024];
                    r.nextBytes(att);
                    byte[] raw = ("From: sender" + n + "@example.net\r\nTo: " + ADDRESS + "\r\nSubject: report " + n
                            + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                            + "Content-Type: text/plain; charset=utf-8\r\n\r\nQuarterly figures attached, number " + n + ".\r\n--b\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                            + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(att)
                            + "\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);
                    batch.add(new Mailbox.NewMessage(raw, MessageFlags.NONE, Instant.now()));
                    written += raw.length;
                }
                m.appendAll("INBOX", batch);
            }
            while (m.unindexedCount() > 0) m.indexPending(1000);
        }
        return written;
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
