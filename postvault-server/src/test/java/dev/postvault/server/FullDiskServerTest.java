package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.store.SmallDisk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server on a really full disk (a 30 MB tmpfs, root only; skipped where mounting is not
 * allowed): the MX refuses what it cannot seal, a login still succeeds and serves what the mailbox
 * holds, APPEND answers NO and the session goes on, and the spool drains by itself as space comes
 * back, every acknowledged message exactly once.
 */
class FullDiskServerTest {
    private static final String ADDRESS = "hello@full-disk.example";
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS");

    @TempDir Path dir;
    private Path mount;
    private SmallDisk disk;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = SmallDisk.mount(dir.resolve("small"), "30m").orElse(null);
        assumeTrue(disk != null, "cannot mount a tmpfs here (needs root)");
        mount = disk.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) disk.close();
    }

    @Test
    void mailWaitingOnAFullDiskIsServedAsSpaceComesBackAndAppendSaysNo() throws Exception {
        try (ServerFixture fx = new ServerFixture(mount.resolve("data"))) {
            fx.node().control().addDomain("full-disk.example");
            String password = fx.node().accounts().createAlias(ADDRESS, Optional.empty(), false).password();
            // Two blocks of room to give back later, then mail until the MX refuses it.
            Path firstRoom = Files.write(mount.resolve("room-1"), new byte[6 * 1024 * 1024]);
            // Enough that, given back, the mailbox can hold everything while the spool still holds its
            // copy: a segment is freed only once every record in it is in the mailbox.
            Path secondRoom = Files.write(mount.resolve("room-2"), new byte[11 * 1024 * 1024]);
            int accepted = 0;
            String refusal = "";
            try (Smtp smtp = new Smtp(fx.server.port("smtp"))) {
                for (int n = 0; n < 400; n++) {
                    refusal = smtp.send(message("m" + n, 150_000, n));
                    if (!refusal.startsWith("250")) break;
                    accepted++;
                }
            }
            // RFC 5321 §4.2.3: insufficient system storage, a temporary failure the sender retries.
            assertThat(refusal).startsWith("452 4.3.1");
            assertThat(accepted).as("messages the MX acknowledged before the disk filled").isBetween(10, 399);
            int acknowledged = accepted;

            try (Imap c = new Imap(fx, password)) {
                // Login works although the spool cannot be drained into the full disk.
                assertThat(c.command("SELECT INBOX").getLast()).startsWith("t OK");
                byte[] big = message("appended", 400_000, 99);
                String append = c.append(big);
                assertThat(append).startsWith("t NO [");
                assertThat(c.command("NOOP").getLast()).startsWith("t OK");

                Files.delete(firstRoom);
                int partly = c.awaitExists(n -> n > 0, Duration.ofSeconds(60));
                assertThat(partly).as("drained by itself once some room came back").isPositive();

                Files.delete(secondRoom);
                assertThat(c.awaitExists(n -> n == acknowledged, Duration.ofSeconds(60))).isEqualTo(acknowledged);
                Set<String> subjects = new HashSet<>();
                for (String line : c.command("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")) {
                    Matcher m = Pattern.compile("Subject: (m\\d+)").matcher(line);
                    if (m.find()) assertThat(subjects.add(m.group(1))).as("no message twice: " + m.group(1)).isTrue();
                }
                assertThat(subjects).hasSize(acknowledged);
            }
        }
    }

    @Test
    void submissionOnAFullDiskSays452AndLeavesNoHalfQueuedMessageThenTakesMailAgain() throws Exception {
        try (ServerFixture fx = new ServerFixture(mount.resolve("data"), true)) {
            fx.node().control().addDomain("full-disk.example");
            String password = fx.node().accounts().createAlias(ADDRESS, Optional.empty(), false).password();
            Path room = Files.write(mount.resolve("room"), new byte[6 * 1024 * 1024]);
            int accepted = 0;
            String refusal = "";
            // Mail for another domain goes into the outbound queue (delivery cannot start: the fixture's
            // resolver is dead, so the queue only grows).
            try (Smtp smtp = new Smtp(fx.server.port("submission"), ADDRESS, "far@elsewhere.example")) {
                smtp.login(ADDRESS, password);
                for (int n = 0; n < 400; n++) {
                    refusal = smtp.send(message(ADDRESS, "q" + n, 150_000, n));
                    if (!refusal.startsWith("250")) break;
                    accepted++;
                }
                assertThat(refusal).startsWith("452 4.3.1"); // RFC 5321 §4.2.3, as the MX says it
                assertThat(accepted).isBetween(5, 399);
                // Every 250 is a whole entry that opens; the refused one left nothing behind.
                var queue = fx.node().outbound();
                assertThat(queue.ids()).hasSize(accepted);
                for (String id : queue.ids()) assertThat(queue.find(id)).isPresent();
                try (var files = Files.list(mount.resolve("data").resolve("outbound"))) {
                    assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
                }
                Files.delete(room);
                assertThat(smtp.send(message(ADDRESS, "after", 150_000, 1000))).startsWith("250");
                assertThat(queue.ids()).hasSize(accepted + 1);
            }
        }
    }

    /** A message with {@code attachmentBytes} of random data, base64 in 76-character lines. */
    private static byte[] message(String subject, int attachmentBytes, long seed) {
        return message("a@elsewhere.example", subject, attachmentBytes, seed);
    }

    private static byte[] message(String from, String subject, int attachmentBytes, long seed) {
        byte[] data = new byte[attachmentBytes];
        new java.util.Random(seed).nextBytes(data);
        String b64 = java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
        return ("From: " + from + "\r\nTo: " + ADDRESS + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A minimal SMTP client for the MX or (plain, loopback) submission port. */
    private static final class Smtp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private final String sender;
        private final String recipient;

        Smtp(int port) throws IOException {
            this(port, "sender@elsewhere.example", ADDRESS);
        }

        Smtp(int port, String sender, String recipient) throws IOException {
            this.sender = sender;
            this.recipient = recipient;
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
            reply();
            say("EHLO client.test");
        }

        void login(String user, String password) throws IOException {
            String r = say("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)));
            if (!r.startsWith("235")) throw new IOException("AUTH answered " + r);
        }

        /** The reply that ended the transaction: 250 when the message was acknowledged. */
        String send(byte[] message) throws IOException {
            String mail = say("MAIL FROM:<" + sender + ">");
            if (!mail.startsWith("250")) return mail;
            String rcpt = say("RCPT TO:<" + recipient + ">");
            if (!rcpt.startsWith("250")) {
                say("RSET");
                return rcpt;
            }
            String data = say("DATA");
            if (!data.startsWith("354")) return data;
            out.write(message);
            return say("\r\n.");
        }

        private String say(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return reply();
        }

        private String reply() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) throw new IOException("connection closed");
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** IMAP over implicit TLS, every command tagged "t". */
    private static final class Imap implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;
        /** The last EXISTS the server reported. */
        private int exists = -1;

        Imap(ServerFixture fx, String password) throws Exception {
            socket = (SSLSocket) fx.clientTls().getSocketFactory().createSocket("127.0.0.1", fx.server.port("imaps"));
            socket.setSoTimeout(60_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
            in.readLine();
            String login = command("LOGIN " + ADDRESS + " \"" + password + "\"").getLast();
            if (!login.startsWith("t OK")) throw new AssertionError("login: " + login);
        }

        List<String> command(String command) throws IOException {
            out.write(("t " + command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return until();
        }

        String append(byte[] message) throws IOException {
            out.write(("t APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(message);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return until().getLast();
        }

        private List<String> until() throws IOException {
            List<String> lines = new java.util.ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null) throw new IOException("connection closed after " + lines);
                lines.add(line);
                Matcher m = EXISTS.matcher(line);
                if (m.find()) exists = Integer.parseInt(m.group(1));
                if (line.startsWith("t ")) return lines;
            }
        }

        /** NOOPs until the selected folder's EXISTS satisfies {@code done}; the last count seen. */
        int awaitExists(java.util.function.IntPredicate done, Duration within) throws Exception {
            long until = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < until) {
                command("NOOP");
                if (exists >= 0 && done.test(exists)) return exists;
                Thread.sleep(250);
            }
            return exists;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
