package dev.postvault.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.pop3.Pop3Client;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.pop3.Pop3Harness;
import dev.postvault.store.account.LoginThrottle;
import dev.postvault.store.TestMessages;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.FlagMode;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.SystemFlag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcript tests over real TCP against a real encrypted store: each command in each state. */
class Pop3SessionTest {
    @TempDir
    Path dir;

    Pop3Harness h;

    @BeforeEach
    void start() throws Exception {
        h = new Pop3Harness(dir, true);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Pop3Client loggedIn() throws Exception {
        Pop3Client c = new Pop3Client(h.plain.port());
        assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK");
        return c;
    }

    @Test
    void greetingCapaAndQuitBeforeLogin() throws Exception {
        try (var c = new Pop3Client(h.plain.port())) {
            assertThat(c.readLine()).startsWith("+OK ");
            assertThat(c.command("CAPA")).startsWith("+OK");
            assertThat(c.readMultiLine()).contains("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS", "USER", "SASL PLAIN")
                    .doesNotContainSequence("APOP");
            assertThat(c.command("quit")).startsWith("+OK");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void transactionCommandsNeedALoginAndLoginCommandsNeedNone() throws Exception {
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            for (String cmd : List.of("STAT", "LIST", "UIDL", "RETR 1", "TOP 1 0", "DELE 1", "RSET", "NOOP")) {
                assertThat(c.command(cmd)).as(cmd).isEqualTo("-ERR " + cmd.split(" ")[0] + " is not allowed before login");
            }
            assertThat(c.command("PASS secret")).isEqualTo("-ERR Send USER first");
            c.command("USER " + Pop3Harness.USER);
            assertThat(c.command("NOOP")).startsWith("-ERR");
            assertThat(c.command("PASS " + Pop3Harness.PASSWORD)).as("PASS must follow USER directly").isEqualTo("-ERR Send USER first");
        }
        try (var c = loggedIn()) {
            for (String cmd : List.of("USER x", "PASS y", "AUTH PLAIN", "STLS")) {
                assertThat(c.command(cmd)).as(cmd).isEqualTo("-ERR " + cmd.split(" ")[0] + " is not allowed after login");
            }
            assertThat(c.command("CAPA")).startsWith("+OK");
            assertThat(c.readMultiLine()).contains("TOP", "UIDL").doesNotContain("STLS", "USER", "SASL PLAIN");
        }
    }

    @Test
    void statListUidlRetrTopOnTwoMessages() throws Exception {
        byte[] one = TestMessages.simple("first", "line one\r\nline two\r\nline three");
        byte[] two = TestMessages.simple("second", "x");
        h.append(one);
        h.append(two);
        try (var c = loggedIn()) {
            assertThat(c.command("STAT")).isEqualTo("+OK 2 " + (one.length + two.length));
            assertThat(c.command("LIST")).isEqualTo("+OK 2 messages (" + (one.length + two.length) + " octets)");
            assertThat(c.readMultiLine()).containsExactly("1 " + one.length, "2 " + two.length);
            assertThat(c.command("LIST 2")).isEqualTo("+OK 2 " + two.length);
            assertThat(c.command("LIST 3")).isEqualTo("-ERR No such message");
            assertThat(c.command("UIDL")).startsWith("+OK");
            List<String> uidl = c.readMultiLine();
            assertThat(uidl).hasSize(2).allMatch(l -> l.matches("[12] [0-9a-f]{16}"));
            assertThat(c.command("UIDL 1")).isEqualTo("+OK " + uidl.get(0));
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + one.length + " octets");
            assertThat(Pop3Client.unstuff(c.readMultiLineBytes())).isEqualTo(one);
            assertThat(c.command("TOP 1 1")).startsWith("+OK");
            String top = new String(c.readMultiLineBytes(), StandardCharsets.UTF_8);
            assertThat(top).endsWith("\r\n\r\nline one\r\n").contains("Subject: first\r\n").doesNotContain("line two");
            assertThat(c.command("TOP 1 0")).startsWith("+OK");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8)).endsWith("charset=utf-8\r\n\r\n");
            assertThat(c.command("TOP 2 100")).startsWith("+OK");
            assertThat(c.readMultiLineBytes()).isEqualTo(two);
            assertThat(c.command("NOOP")).isEqualTo("+OK");
            assertThat(c.command("RETR 0")).isEqualTo("-ERR RETR: message numbers start at 1");
            assertThat(c.command("RETR x")).isEqualTo("-ERR RETR: invalid number");
            assertThat(c.command("TOP 1")).isEqualTo("-ERR TOP: message number and line count expected");
        }
    }

    @Test
    void deleteTakesEffectOnlyAfterQuit() throws Exception {
        h.append(TestMessages.simple("a", "a"));
        h.append(TestMessages.simple("b", "b"));
        h.append(TestMessages.simple("c", "c"));
        try (var c = loggedIn()) {
            assertThat(c.command("DELE 2")).isEqualTo("+OK Message 2 deleted");
            assertThat(c.command("DELE 2")).isEqualTo("-ERR Message 2 already deleted");
            assertThat(c.command("RETR 2")).isEqualTo("-ERR Message 2 is deleted");
            assertThat(c.command("STAT")).startsWith("+OK 2 ");
            c.command("LIST");
            assertThat(c.readMultiLine()).extracting(l -> l.split(" ")[0]).containsExactly("1", "3");
            assertThat(c.command("RSET")).startsWith("+OK Maildrop has 3 messages");
            c.command("DELE 1");
            c.command("DELE 3");
            // dropped without QUIT: nothing is deleted
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> h.plain.activeConnections() == 0);
        try (var c = loggedIn()) {
            assertThat(c.command("STAT")).startsWith("+OK 3 ");
            c.command("DELE 1");
            c.command("DELE 3");
            assertThat(c.command("QUIT")).isEqualTo("+OK pop3.test signing off (1 messages left)");
        }
        try (var c = loggedIn(); Mailbox m = h.open()) {
            assertThat(c.command("STAT")).startsWith("+OK 1 ");
            assertThat(c.command("RETR 1")).startsWith("+OK");
            assertThat(new String(c.readMultiLineBytes(), StandardCharsets.UTF_8)).contains("Subject: b");
            assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(1);
        }
    }

    @Test
    void retrievedMessagesBecomeSeenAtUpdate() throws Exception {
        h.append(TestMessages.simple("a", "a"));
        h.append(TestMessages.simple("b", "b"));
        try (var c = loggedIn()) {
            c.command("RETR 2");
            c.readMultiLineBytes();
            c.command("QUIT");
        }
        try (Mailbox m = h.open()) {
            var msgs = m.messages(m.folder(Folder.INBOX).id());
            assertThat(msgs.get(0).flags().system().contains(SystemFlag.SEEN)).isFalse();
            assertThat(msgs.get(1).flags().system().contains(SystemFlag.SEEN)).isTrue();
        }
    }

    @Test
    void uidlIsStableAcrossSessionsAndImapChanges() throws Exception {
        h.append(TestMessages.simple("a", "a"));
        h.append(TestMessages.simple("b", "b"));
        List<String> before;
        try (var c = loggedIn()) {
            c.command("UIDL");
            before = c.readMultiLine();
            c.command("QUIT");
        }
        try (Mailbox m = h.open()) {
            long inbox = m.folder(Folder.INBOX).id();
            m.storeFlags(inbox, List.of(1L, 2L), FlagMode.ADD, MessageFlags.of(SystemFlag.FLAGGED, SystemFlag.ANSWERED), OptionalLong.empty());
        }
        h.append(TestMessages.simple("c", "c"));
        try (var c = loggedIn()) {
            c.command("UIDL");
            List<String> after = c.readMultiLine();
            assertThat(after).hasSize(3).startsWith(before.toArray(String[]::new));
            assertThat(after.get(2)).isNotIn(before);
            c.command("DELE 1");
            c.command("QUIT");
        }
        try (var c = loggedIn()) {
            c.command("UIDL");
            assertThat(c.readMultiLine()).extracting(l -> l.split(" ")[1]).doesNotContain(before.get(0).split(" ")[1])
                    .contains(before.get(1).split(" ")[1]);
        }
    }

    @Test
    void dotStuffingCrlfAndEightBitBodiesOnTheWire() throws Exception {
        byte[] raw = ("From: a@example.org\r\nSubject: dots\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n.\r\n..two\r\n.three\r\nmid.dle\r\nbare\nlf\r\nlatin \u00e9\u00e8 \u00ff\r\n.")
                .getBytes(StandardCharsets.ISO_8859_1);
        h.append(raw);
        try (var c = loggedIn()) {
            assertThat(c.command("RETR 1")).startsWith("+OK");
            byte[] wire = c.readMultiLineBytes();
            String s = new String(wire, StandardCharsets.ISO_8859_1);
            assertThat(s).contains("\r\n..\r\n...two\r\n..three\r\nmid.dle\r\nbare\r\nlf\r\nlatin \u00e9\u00e8 \u00ff\r\n..\r\n");
            assertThat(s.replace("\r\n", "")).doesNotContain("\n");
        }
    }

    @Test
    void largeMessagesStreamByteForByte() throws Exception {
        byte[] attachment = TestMessages.randomBytes(12 * 1024 * 1024, 7);
        byte[] raw = TestMessages.withAttachment("big", "see attached", attachment);
        h.append(raw);
        try (var c = loggedIn()) {
            assertThat(c.command("LIST 1")).isEqualTo("+OK 1 " + raw.length);
            assertThat(c.command("RETR 1")).isEqualTo("+OK " + raw.length + " octets");
            assertThat(Pop3Client.unstuff(c.readMultiLineBytes())).isEqualTo(raw);
            assertThat(c.command("TOP 1 3")).startsWith("+OK");
            String top = new String(c.readMultiLineBytes(), StandardCharsets.UTF_8);
            assertThat(top).endsWith("\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        }
    }

    @Test
    void spoolIsDrainedAtLogin() throws Exception {
        byte[] raw = TestMessages.simple("sealed", "arrived while away");
        h.deliver(raw);
        try (var c = loggedIn()) {
            assertThat(c.command("STAT")).isEqualTo("+OK 1 " + raw.length);
            c.command("RETR 1");
            assertThat(c.readMultiLineBytes()).isEqualTo(raw);
        }
    }

    @Test
    void aSecondSessionGetsInUse() throws Exception {
        try (var first = loggedIn(); var second = new Pop3Client(h.plain.port())) {
            assertThat(second.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).isEqualTo("-ERR [IN-USE] Another POP3 session holds this maildrop");
            assertThat(second.command("STAT")).startsWith("-ERR");
            assertThat(first.command("QUIT")).startsWith("+OK");
            await().atMost(Duration.ofSeconds(5)).until(() -> second.command("USER " + Pop3Harness.USER).startsWith("+OK")
                    && second.command("PASS " + Pop3Harness.PASSWORD).startsWith("+OK Logged in"));
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        byte[] one = TestMessages.simple("p1", "one");
        h.append(one);
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            c.send("USER " + Pop3Harness.USER + "\r\nPASS " + Pop3Harness.PASSWORD + "\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nSTAT\r\nQUIT");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readLine()).startsWith("+OK Logged in");
            assertThat(c.readLine()).isEqualTo("+OK 1 " + one.length);
            assertThat(c.readLine()).startsWith("+OK 1 messages");
            assertThat(c.readMultiLine()).containsExactly("1 " + one.length);
            assertThat(c.readLine()).startsWith("+OK " + one.length);
            assertThat(c.readMultiLineBytes()).isEqualTo(one);
            assertThat(c.readLine()).isEqualTo("+OK Message 1 deleted");
            assertThat(c.readLine()).isEqualTo("+OK 0 0");
            assertThat(c.readLine()).startsWith("+OK pop3.test signing off (0 messages left)");
        }
    }

    @Test
    void authPlainWithAndWithoutInitialResponse() throws Exception {
        String token = Base64.getEncoder().encodeToString(("\0" + Pop3Harness.USER + "\0" + Pop3Harness.PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            assertThat(c.command("AUTH")).startsWith("+OK");
            assertThat(c.readMultiLine()).containsExactly("PLAIN");
            assertThat(c.command("AUTH CRAM-MD5")).isEqualTo("-ERR Unsupported authentication mechanism");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("*")).isEqualTo("-ERR Authentication cancelled");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("not base64!")).isEqualTo("-ERR Invalid base64 in SASL response");
            assertThat(c.command("AUTH PLAIN =")).isEqualTo("-ERR Malformed PLAIN response");
            assertThat(c.command("AUTH PLAIN " + token)).startsWith("+OK Logged in");
        }
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command(token)).startsWith("+OK Logged in");
        }
    }

    @Test
    void wrongPasswordsAreRefusedWithAuthAndTheConnectionClosedAfterTheLimit() throws Exception {
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            for (int i = 0; i < 2; i++) {
                c.command("USER " + Pop3Harness.USER);
                assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] Authentication failed");
            }
            c.command("USER nobody@example.org");
            assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.readLine()).isEqualTo("-ERR Too many failed logins, closing");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void badInputGetsErrAndTheSessionGoesOn() throws Exception {
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            assertThat(c.command("FOO")).isEqualTo("-ERR unknown command");
            assertThat(c.command("")).isEqualTo("-ERR unknown command");
            assertThat(c.command("X".repeat(5000))).isEqualTo("-ERR Line too long (the limit is 512 octets)");
            c.sendBytes(new byte[] {'U', 'S', 'E', 'R', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            assertThat(c.readLine()).isEqualTo("-ERR Invalid UTF-8 in command");
            assertThat(c.command("CAPA extra")).isEqualTo("-ERR CAPA: no arguments expected");
            assertThat(c.command("USER")).isEqualTo("-ERR USER: one argument expected");
            assertThat(c.command("user " + Pop3Harness.USER)).isEqualTo("+OK Send PASS");
            assertThat(c.command("pass " + Pop3Harness.PASSWORD)).startsWith("+OK Logged in");
            assertThat(c.command("LIST 99999999999")).isEqualTo("-ERR LIST: invalid number");
            assertThat(c.command("stat")).startsWith("+OK 0 0");
        }
    }

    @Test
    void tooManyErrorsCloseTheConnection() throws Exception {
        try (var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            for (int i = 0; i < 19; i++) assertThat(c.command("BOGUS")).isEqualTo("-ERR unknown command");
            assertThat(c.command("BOGUS")).isEqualTo("-ERR unknown command");
            assertThat(c.readLine()).isEqualTo("-ERR Too many errors, closing");
            assertThat(c.readLine()).isNull();
        }
    }
}
