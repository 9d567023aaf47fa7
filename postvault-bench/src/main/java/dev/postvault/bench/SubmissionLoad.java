package dev.postvault.bench;

import dev.postvault.mime.Mbox;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A submission load, the same for any server: {@code SESSIONS} SMTP sessions at once, each one
 * connection that says EHLO, authenticates when given a user (AUTH PLAIN), and sends its share of
 * {@code MESSAGES} messages one transaction after another (MAIL, RCPT, DATA, as smtp-source does
 * without pipelining). The messages are those of an mbox (gen-mbox.py's, with attachments), each with
 * its From: set to the sender and a fresh Message-ID, dot-stuffed. Prints one line: how many got 250,
 * how many were refused, the seconds from the first connection to the last reply, and when the first
 * connection was made (epoch seconds, for end-to-end timing by the caller); every
 * accepted Message-ID goes to {@code ACCEPTED_FILE} when given, one per line.
 *
 * <pre>SubmissionLoad HOST PORT USER|- PASSWORD|- SENDER RECIPIENT SESSIONS MESSAGES MBOX [ACCEPTED_FILE]</pre>
 */
public final class SubmissionLoad {
    private SubmissionLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 9) {
            System.err.println("usage: SubmissionLoad HOST PORT USER|- PASSWORD|- SENDER RECIPIENT SESSIONS MESSAGES MBOX [ACCEPTED_FILE]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String user = args[2].equals("-") ? null : args[2];
        String password = args[3];
        String sender = args[4];
        String recipient = args[5];
        int sessions = Integer.parseInt(args[6]);
        int messages = Integer.parseInt(args[7]);
        List<byte[]> bodies = bodies(Path.of(args[8]), sender);
        Path acceptedFile = args.length > 9 ? Path.of(args[9]) : null;

        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        String runId = Long.toString(System.nanoTime(), 36);
        double startEpoch = System.currentTimeMillis() / 1e3;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket(host, port)) {
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                    expect(in, 220);
                    command(out, in, "EHLO load.test", 250);
                    if (user != null) {
                        String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                        command(out, in, "AUTH PLAIN " + plain, 235);
                    }
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        String id = "<load-" + runId + "-" + i + "@load.test>";
                        command(out, in, "MAIL FROM:<" + sender + ">", 250);
                        command(out, in, "RCPT TO:<" + recipient + ">", 250);
                        command(out, in, "DATA", 354);
                        out.write(("Message-ID: " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(bodies.get(i % bodies.size()));
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        int code = reply(in);
                        if (code == 250) {
                            ok.incrementAndGet();
                            accepted.add(id);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    command(out, in, "QUIT", 221);
                } catch (IOException e) {
                    System.err.println("session failed: " + e.getMessage());
                }
            }));
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (acceptedFile != null) Files.write(acceptedFile, accepted);
        System.out.printf(java.util.Locale.ROOT, "accepted=%d refused=%d seconds=%.2f start=%.3f%n", ok.get(), refused.get(), seconds, startEpoch);
    }

    /** The mbox's messages with From: replaced by the sender (and no Message-ID, added per send), dot-stuffed, CRLF. */
    private static List<byte[]> bodies(Path mbox, String sender) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Mbox m = new Mbox(Files.newInputStream(mbox), 64L << 20)) {
            for (var e = m.next(); e.isPresent(); e = m.next()) {
                if (!(e.get() instanceof Mbox.Entry.Message msg)) continue;
                String text = new String(msg.raw(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) continue;
                StringBuilder header = new StringBuilder();
                boolean skipping = false;
                for (String line : text.substring(0, end + 2).split("\r\n")) {
                    boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
                    if (!continuation) {
                        String lower = line.toLowerCase(java.util.Locale.ROOT);
                        skipping = lower.startsWith("from:") || lower.startsWith("message-id:") || lower.startsWith("sender:");
                        if (lower.startsWith("from:")) header.append("From: Load <").append(sender).append(">\r\n");
                    }
                    if (!skipping) header.append(line).append("\r\n");
                }
                String body = text.substring(end + 2);
                ByteArrayOutputStream b = new ByteArrayOutputStream(text.length() + 64);
                b.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
                for (String line : body.split("\r\n", -1)) {
                    if (line.startsWith(".")) b.write('.'); // RFC 5321 §4.5.2
                    b.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
                    b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                byte[] bytes = b.toByteArray();
                // split(-1) leaves one empty piece after a final CRLF: drop the extra line end it made
                out.add(java.util.Arrays.copyOf(bytes, body.endsWith("\r\n") ? bytes.length - 2 : bytes.length));
            }
        }
        if (out.isEmpty()) throw new IOException("no messages in the mbox");
        return out;
    }

    private static void command(OutputStream out, InputStream in, String line, int want) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        int code = reply(in);
        if (code != want) throw new IOException(line.split(" ")[0] + " answered " + code);
    }

    private static void expect(InputStream in, int want) throws IOException {
        int code = reply(in);
        if (code != want) throw new IOException("greeting " + code);
    }

    /** A reply's code, after its last line. */
    private static int reply(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) throw new IOException("connection closed");
                line.write(c);
            }
            String s = line.toString(StandardCharsets.US_ASCII);
            if (s.length() < 3) throw new IOException("malformed reply");
            if (s.length() < 4 || s.charAt(3) != '-') return Integer.parseInt(s.substring(0, 3));
        }
    }
}
