package dev.postvault.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.store.account.LoginThrottle;
import dev.postvault.pop3.Pop3Client;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.pop3.Pop3Harness;
import dev.postvault.store.TestMessages;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random input against the session in each state: whatever arrives, the session answers and
 * stays usable, and without QUIT nothing in the mailbox changes.
 */
class Pop3FuzzTest {
    private static final List<String> WORDS = List.of("USER", "PASS", "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET",
            "NOOP", "CAPA", "APOP", "LAST", "AUTH PLAIN", "user", "Retr", "X");

    @TempDir
    Path dir;

    private static byte[] randomLine(Random r) {
        var out = new ByteArrayOutputStream();
        switch (r.nextInt(4)) {
            case 0 -> { // a known keyword with random arguments
                out.writeBytes(WORDS.get(r.nextInt(WORDS.size())).getBytes(StandardCharsets.US_ASCII));
                for (int i = r.nextInt(4); i > 0; i--) {
                    out.write(' ');
                    out.writeBytes(String.valueOf(r.nextInt(6) - 1).getBytes(StandardCharsets.US_ASCII));
                }
            }
            case 1 -> { // printable junk
                for (int i = r.nextInt(60); i > 0; i--) out.write(0x20 + r.nextInt(95));
            }
            case 2 -> { // any bytes but line ends
                for (int i = r.nextInt(60); i > 0; i--) {
                    int b = r.nextInt(256);
                    out.write(b == '\n' ? 'n' : b);
                }
            }
            default -> out.writeBytes("Y".repeat(300 + r.nextInt(2000)).getBytes(StandardCharsets.US_ASCII)); // overlong
        }
        out.writeBytes(r.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomInputNeverBreaksTheSession(boolean loggedIn) throws Exception {
        var config = new Pop3Config("pop3.test", true, 512, 4096, Duration.ofSeconds(30), 1000, 100_000, 10,
                dev.postvault.net.CommandRate.Limit.DEFAULT);
        var policy = new LoginThrottle.Policy(Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1_000_000, 100);
        try (var h = new Pop3Harness(dir, config, policy)) {
            for (int i = 0; i < 3; i++) h.append(TestMessages.simple("fuzz " + i, "body\r\n.dot"));
            Random r = new Random(loggedIn ? 1 : 2);
            for (int round = 0; round < 20; round++) {
                await().atMost(Duration.ofSeconds(10)).until(() -> h.plain.activeConnections() == 0); // the maildrop lock is free again
                try (var c = new Pop3Client(h.plain.port())) {
                    if (loggedIn) assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK Logged in");
                    else c.readLine();
                    var batch = new ByteArrayOutputStream();
                    for (int i = 0; i < 30; i++) batch.writeBytes(randomLine(r));
                    c.sendBytes(batch.toByteArray());
                    // The session keeps answering: a marker command after the junk gets its own answer.
                    c.send("CAPA");
                    String line;
                    do {
                        line = c.readLine();
                        assertThat(line).as("session closed in round %d", round).isNotNull();
                    } while (!line.equals("IMPLEMENTATION Postvault"));
                }
            }
            try (Mailbox m = h.open()) {
                assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(3);
            }
        }
    }

    @Test
    void aClientVanishingMidRetrLeavesTheMaildropIntact() throws Exception {
        try (var h = new Pop3Harness(dir, true)) {
            h.append(TestMessages.withAttachment("big", "x", TestMessages.randomBytes(4 * 1024 * 1024, 1)));
            for (int i = 0; i < 3; i++) {
                await().atMost(Duration.ofSeconds(10)).until(() -> h.plain.activeConnections() == 0);
                try (var c = new Pop3Client(h.plain.port())) {
                    c.login(Pop3Harness.USER, Pop3Harness.PASSWORD);
                    c.send("DELE 1");
                    c.send("RETR 1");
                    c.send("RSET");
                    c.send("RETR 1");
                    c.readLine();
                    c.readLine(); // and go away in the middle of the message
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> h.plain.activeConnections() == 0);
            try (var c = new Pop3Client(h.plain.port())) {
                assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK Logged in; 1 messages");
            }
        }
    }
}
