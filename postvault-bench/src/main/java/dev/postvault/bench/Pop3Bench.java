package dev.postvault.bench;

import dev.postvault.mime.Mbox;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.pop3.Pop3Server;
import dev.postvault.pop3.session.MaildropLocks;
import dev.postvault.pop3.session.Pop3Context;
import dev.postvault.server.Node;
import dev.postvault.server.tls.SelfSignedTls;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * POP3 RETR throughput on a mailbox imported from an mbox (issue 4: 2,000 messages written by
 * {@code gen-mbox.py}). A real {@link Pop3Server} on loopback, a raw-socket client that reads every
 * octet up to the terminating dot; plain TCP and TLS (the certificate verified), one RETR at a time
 * and pipelined. Run by {@code postvault-bench/run-pop3.sh}.
 */
public final class Pop3Bench {
    private static final String ADDRESS = "pop3bench@bench.test";
    private static final String PASSWORD = "pop3 bench password, long enough";
    private static final int PIPELINE_WINDOW = 32;

    private Pop3Bench() {}

    public static void main(String[] args) throws Exception {
        Path mbox = null;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mbox" -> mbox = Path.of(args[++i]);
                case "--dir" -> parent = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: Pop3Bench --mbox FILE [--dir PARENT]");
            }
        }
        if (mbox == null) throw new IllegalArgumentException("usage: Pop3Bench --mbox FILE [--dir PARENT]");
        Report report = new Report(System.out);
        report.section("POP3 RETR throughput");
        report.note(MachineProbe.conditions(parent));
        try (DataDir dir = DataDir.create(parent, "pop3"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
            Unlocked user = node.accounts().login(ADDRESS, PASSWORD);
            long t0 = System.nanoTime();
            long[] imported = importMbox(node, user, mbox);
            report.value("imported", "%,d messages, %,d bytes in %.1f s".formatted(imported[0], imported[1], (System.nanoTime() - t0) / 1e9));
            report.value("mailbox file", Report.bytes(DataDir.sizeOf(dir.path().resolve("mailboxes"))));

            SSLContext serverTls = SelfSignedTls.loadOrCreate(dir.path(), node.serverKey(), "localhost");
            SSLContext clientTls = dev.postvault.net.Tls.clientTrusting(java.util.List.of(SelfSignedTls.certificate(dir.path(), node.serverKey())));
            var ctx = new Pop3Context(node.logins(), new MaildropLocks(),
                    Pop3Config.defaults("localhost").withPlaintextAuthOnLoopback(true), Optional.of(serverTls));
            try (var plain = Pop3Server.listener(ctx, InetAddress.getLoopbackAddress(), 0, false);
                 var tls = Pop3Server.listener(ctx, InetAddress.getLoopbackAddress(), 0, true)) {
                plain.start();
                tls.start();
                int n = (int) imported[0];
                run(report, "plain, one RETR at a time (warm-up)", () -> new Socket(InetAddress.getLoopbackAddress(), plain.port()), n, 1);
                run(report, "plain, one RETR at a time", () -> new Socket(InetAddress.getLoopbackAddress(), plain.port()), n, 1);
                run(report, "plain, pipelined (" + PIPELINE_WINDOW + " in flight)", () -> new Socket(InetAddress.getLoopbackAddress(), plain.port()), n, PIPELINE_WINDOW);
                run(report, "TLS 1.3, one RETR at a time", () -> clientTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), tls.port()), n, 1);
                run(report, "TLS 1.3, pipelined (" + PIPELINE_WINDOW + " in flight)", () -> clientTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), tls.port()), n, PIPELINE_WINDOW);
            }
        }
    }

    interface Connect {
        Socket open() throws IOException;
    }

    private static long[] importMbox(Node node, Unlocked user, Path mbox) throws IOException {
        long count = 0;
        long bytes = 0;
        try (Mailbox m = node.mailboxes().open(user.alias().id(), user.dek()); var reader = new Mbox(Files.newInputStream(mbox), 64L << 20)) {
            List<Mailbox.NewMessage> batch = new ArrayList<>();
            for (var e = reader.next(); e.isPresent(); e = reader.next()) {
                if (e.get() instanceof Mbox.Entry.Message msg) {
                    batch.add(new Mailbox.NewMessage(msg.raw(), MessageFlags.NONE, msg.envelopeDate().orElse(Instant.now())));
                    count++;
                    bytes += msg.raw().length;
                }
                if (batch.size() == 200) {
                    m.appendAll("INBOX", batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) m.appendAll("INBOX", batch);
        }
        return new long[] {count, bytes};
    }

    private static void run(Report report, String label, Connect connect, int n, int window) throws IOException {
        try (Socket s = connect.open()) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            readLine(in);
            out.write(("USER " + ADDRESS + "\r\nPASS " + PASSWORD + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            readLine(in);
            String loggedIn = readLine(in);
            BenchmarkFailure.check(loggedIn.startsWith("+OK"), "login failed: " + loggedIn);
            long[] latency = new long[n];
            long[] sentAt = new long[n + 1];
            long octets = 0;
            int sent = 0;
            long start = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                while (sent < n && sent < i - 1 + window) {
                    sent++;
                    sentAt[sent] = System.nanoTime();
                    out.write(("RETR " + sent + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                String status = readLine(in);
                BenchmarkFailure.check(status.startsWith("+OK"), "RETR " + i + ": " + status);
                octets += readMultiLine(in);
                latency[i - 1] = System.nanoTime() - sentAt[i];
            }
            long total = System.nanoTime() - start;
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readLine(in);
            report.value(label, "%,.0f messages/s, %.1f MB/s (%,d messages, %,d octets in %.2f s); latency median %s ms, p90 %s ms"
                    .formatted(n / (total / 1e9), octets / (total / 1e9) / 1e6, n, octets, total / 1e9,
                            Report.millis(Stats.of(latency).medianNanos()), Report.millis(Stats.of(latency).p90Nanos())));
        }
    }

    /** Reads a multi-line body to its terminating dot; returns the octets read. */
    private static long readMultiLine(InputStream in) throws IOException {
        long octets = 0;
        int state = 0; // 0: at line start, 1: saw "." at line start, 2: saw ".\r", 3: inside a line
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed inside a message");
            octets++;
            state = switch (state) {
                case 0 -> b == '.' ? 1 : b == '\n' ? 0 : 3;
                case 1 -> b == '\r' ? 2 : b == '\n' ? 0 : 3;
                case 2 -> {
                    if (b == '\n') yield -1;
                    yield 3;
                }
                default -> b == '\n' ? 0 : 3;
            };
            if (state == -1) return octets;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') sb.append((char) b);
        if (b < 0) throw new IOException("connection closed");
        return sb.toString().stripTrailing();
    }
}
