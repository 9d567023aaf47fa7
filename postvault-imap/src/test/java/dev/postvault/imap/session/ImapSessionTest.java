package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import dev.postvault.store.TestMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcript tests over real TCP and TLS against a real store (RFC 9051 / RFC 3501 behaviour). */
class ImapSessionTest {
    @TempDir Path dir;
    private ImapHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ImapHarness(dir, false);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void plainConnectionOffersStartTlsAndRefusesPasswordsUntilTls() throws Exception {
        try (ImapClient c = new ImapClient(h.plain.port())) {
            assertThat(c.readResponse()).startsWith("* OK [CAPABILITY IMAP4rev1").contains("STARTTLS", "LOGINDISABLED")
                    .doesNotContain("AUTH=PLAIN");
            assertThat(ImapClient.last(c.command("LOGIN " + ImapHarness.USER + " \"" + ImapHarness.PASSWORD + "\"")))
                    .startsWith("t1 NO [PRIVACYREQUIRED]");
            assertThat(ImapClient.last(c.command("STARTTLS"))).startsWith("t2 OK");
            c.startTls(h.clientTls);
            List<String> caps = c.command("CAPABILITY");
            assertThat(caps.getFirst()).contains("AUTH=PLAIN").doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED");
            assertThat(ImapClient.last(c.command("LOGIN " + ImapHarness.USER + " \"" + ImapHarness.PASSWORD + "\""))).startsWith("t4 OK");
        }
    }

    @Test
    void aSynchronizingLiteralAfterStartTlsIsAskedForUnderTls() throws Exception {
        byte[] msg = ImapHarness.sample("after starttls");
        try (ImapClient c = new ImapClient(h.plain.port())) {
            c.readResponse();
            assertThat(ImapClient.last(c.command("STARTTLS"))).startsWith("t1 OK");
            c.startTls(h.clientTls);
            assertThat(ImapClient.last(c.command("LOGIN " + ImapHarness.USER + " \"" + ImapHarness.PASSWORD + "\""))).startsWith("t2 OK");
            // The continuation request must travel inside TLS; written to the plaintext stream it
            // corrupts the TLS record layer and the client's next read fails.
            c.send("t3 APPEND INBOX {" + msg.length + "}\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            c.sendBytes(msg);
            c.send("\r\n");
            assertThat(ImapClient.last(c.until("t3"))).startsWith("t3 OK [APPENDUID");
        }
    }

    @Test
    void pipelinedCommandsAfterStartTlsAreDiscarded() throws Exception {
        try (ImapClient c = new ImapClient(h.plain.port())) {
            c.readResponse();
            // An attacker on the wire appends a command to the plaintext STARTTLS (CVE-2011-0411 class).
            c.send("t1 STARTTLS\r\nt2 LOGOUT\r\n");
            assertThat(c.readResponse()).startsWith("t1 OK");
            c.startTls(h.clientTls);
            assertThat(c.command("NOOP").getLast()).startsWith("t1 OK"); // t2 LOGOUT never ran
        }
    }

    @Test
    void authenticatePlainWithInitialResponseWithContinuationAndCancelled() throws Exception {
        String ir = java.util.Base64.getEncoder().encodeToString(("\0" + ImapHarness.USER + "\0" + ImapHarness.PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (ImapClient c = ImapClient.tls(h.tls.port(), h.clientTls)) {
            c.readResponse();
            assertThat(c.command("AUTHENTICATE PLAIN " + ir).getLast()).startsWith("t1 OK [CAPABILITY");
        }
        try (ImapClient c = ImapClient.tls(h.tls.port(), h.clientTls)) {
            c.readResponse();
            c.send("a AUTHENTICATE PLAIN\r\n");
            assertThat(c.readResponse()).startsWith("+");
            c.send(ir + "\r\n");
            assertThat(c.readResponse()).startsWith("a OK");
        }
        try (ImapClient c = ImapClient.tls(h.tls.port(), h.clientTls)) {
            c.readResponse();
            c.send("a AUTHENTICATE PLAIN\r\n");
            c.readResponse();
            c.send("*\r\n");
            assertThat(c.readResponse()).startsWith("a BAD");
            assertThat(c.command("NOOP").getLast()).startsWith("t1 OK");
        }
    }

    @Test
    void wrongPasswordsAreRefusedAndTheConnectionClosedAfterTheLimit() throws Exception {
        try (ImapClient c = ImapClient.tls(h.tls.port(), h.clientTls)) {
            c.readResponse();
            assertThat(c.command("LOGIN " + ImapHarness.USER + " wrongpassword").getLast()).startsWith("t1 NO [AUTHENTICATIONFAILED]");
            assertThat(c.command("LOGIN nobody@example.org wrongpassword").getLast()).startsWith("t2 NO [AUTHENTICATIONFAILED]");
            assertThat(c.command("LOGIN " + ImapHarness.USER + " stillwrong").getLast()).startsWith("t3 NO [AUTHENTICATIONFAILED]");
            assertThat(c.readResponse()).startsWith("* BYE");
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void listShowsTheDefaultFoldersWithSpecialUseAndPatternsWork() throws Exception {
        try (ImapClient c = h.login()) {
            assertThat(c.command("LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"", "t2 OK LIST completed");
            assertThat(c.command("LIST \"\" \"*\"")).contains(
                    "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
                    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"",
                    "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"").hasSize(7);
            assertThat(c.command("LIST \"\" \"inbox\"")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"INBOX\"", "t4 OK LIST completed");
            assertThat(c.command("LIST \"\" \"D%\"")).containsExactly("* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"", "t5 OK LIST completed");
            assertThat(c.command("LSUB \"\" \"J*\"")).containsExactly("* LSUB (\\HasNoChildren \\Junk) \"/\" \"Junk\"", "t6 OK LSUB completed");
        }
    }

    @Test
    void selectReportsTheFolderAndFetchReturnsExactBytes() throws Exception {
        byte[] m1 = ImapHarness.sample("first");
        byte[] m2 = TestMessages.withAttachment("second", "see attached", TestMessages.randomBytes(6000, 5));
        h.append("INBOX", m1);
        h.append("INBOX", m2);
        try (ImapClient c = h.login()) {
            List<String> sel = c.command("SELECT INBOX");
            assertThat(sel).contains("* 2 EXISTS", "* 2 RECENT").anyMatch(l -> l.matches("\\* OK \\[UIDVALIDITY \\d+\\].*"))
                    .anyMatch(l -> l.startsWith("* OK [UIDNEXT 3]")).anyMatch(l -> l.startsWith("* OK [UNSEEN 1]"));
            assertThat(sel.getLast()).startsWith("t2 OK [READ-WRITE]");

            List<String> f = c.command("FETCH 1:2 (UID FLAGS RFC822.SIZE INTERNALDATE)");
            assertThat(f).containsExactly(
                    "* 1 FETCH (UID 1 FLAGS (\\Recent) RFC822.SIZE " + m1.length + " INTERNALDATE \"04-Mar-2026 05:06:07 +0000\")",
                    "* 2 FETCH (UID 2 FLAGS (\\Recent) RFC822.SIZE " + m2.length + " INTERNALDATE \"04-Mar-2026 05:06:07 +0000\")",
                    "t3 OK FETCH completed");

            List<String> body = c.command("UID FETCH 2 (BODY.PEEK[])");
            assertThat(body.getFirst()).isEqualTo("* 2 FETCH (UID 2 BODY[] {" + m2.length + "}\r\n"
                    + new String(m2, StandardCharsets.ISO_8859_1) + ")");

            assertThat(c.command("FETCH 2 (BODY.PEEK[1] BODY.PEEK[HEADER.FIELDS (subject)] BODY.PEEK[]<0.4>)").getFirst())
                    .isEqualTo("* 2 FETCH (BODY[1] {12}\r\nsee attached BODY[HEADER.FIELDS (subject)] {19}\r\nSubject: second\r\n\r\n BODY[]<0> {4}\r\nFrom)");

            assertThat(c.command("FETCH 2 BODYSTRUCTURE").getFirst()).isEqualTo("* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" "
                    + "(\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"report.pdf\") NIL NIL "
                    + "\"BASE64\" 8210 NIL (\"ATTACHMENT\" (\"FILENAME\" \"report.pdf\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL))");

            assertThat(c.command("FETCH 1 ENVELOPE").getFirst()).isEqualTo("* 1 FETCH (ENVELOPE (\"Sun, 22 Nov 2026 10:00:00 +0000\" "
                    + "\"first\" ((\"Alice Example\" NIL \"alice\" \"sender.example\")) ((\"Alice Example\" NIL \"alice\" \"sender.example\")) "
                    + "((\"Alice Example\" NIL \"alice\" \"sender.example\")) ((NIL NIL \"hello\" \"example.org\")) NIL NIL NIL \"<"
                    + Math.abs("first".hashCode()) + "@sender.example>\"))");

            // Reading the body without PEEK sets \Seen, and the response says so (RFC 9051 §6.4.5).
            assertThat(c.command("FETCH 1 BODY[TEXT]").getFirst()).contains("FLAGS (\\Recent \\Seen)");
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Recent \\Seen))");
            assertThat(c.command("FETCH 3 FLAGS").getLast()).startsWith("t10 BAD");
            assertThat(c.command("UID FETCH 3:* FLAGS")).hasSize(2); // "*" is the highest UID, 2: UID 2 only
        }
    }

    @Test
    void examineIsReadOnlyAndNeverSetsSeen() throws Exception {
        h.append("INBOX", ImapHarness.sample("peek"));
        try (ImapClient c = h.login()) {
            assertThat(c.command("EXAMINE INBOX").getLast()).startsWith("t2 OK [READ-ONLY]");
            assertThat(c.command("FETCH 1 BODY[]").getFirst()).doesNotContain("\\Seen");
            // EXAMINE sees \Recent but does not claim it (RFC 3501 §6.3.2).
            assertThat(c.command("FETCH 1 FLAGS").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Recent))");
            assertThat(c.command("CLOSE").getLast()).startsWith("t5 OK");
            assertThat(c.command("FETCH 1 FLAGS").getLast()).startsWith("t6 BAD"); // no longer selected
            assertThat(c.command("SELECT Nowhere").getLast()).startsWith("t7 NO [NONEXISTENT]");
        }
    }

    @Test
    void aDeliveryReachesALiveSessionAtOnce() throws Exception {
        try (ImapClient a = h.login(); ImapClient b = h.login()) {
            assertThat(a.command("SELECT INBOX")).contains("* 0 EXISTS");
            assertThat(b.command("SELECT INBOX")).contains("* 0 EXISTS");
            h.deliver(ImapHarness.sample("live"));
            await().atMost(Duration.ofSeconds(10)).until(() -> h.store.spool.pending(h.user.alias().id()).isEmpty());
            List<String> na = a.command("NOOP");
            List<String> nb = b.command("NOOP");
            assertThat(na).startsWith("* 1 EXISTS");
            assertThat(nb).startsWith("* 1 EXISTS");
            // Exactly one of the two sessions gets the message as \Recent (RFC 3501 §2.3.2).
            assertThat(List.of(na.get(1), nb.get(1))).containsExactlyInAnyOrder("* 1 RECENT", "* 0 RECENT");
            assertThat(a.command("NOOP")).containsExactly("t4 OK NOOP completed");
        }
    }

    @Test
    void malformedInputGetsBadAndTheSessionGoesOn() throws Exception {
        try (ImapClient c = h.login()) {
            for (String junk : List.of("", "x", "t1", "t1 FROB", "t1 FETCH", "t1 SELECT", "t1 LOGIN a b", "\u00ff\u00fe bad", "t1 FETCH 1 (",
                    "t1 LIST \"unterminated", "t1 NOOP extra")) {
                c.send(junk + "\r\n");
                if (junk.isEmpty()) continue; // empty lines are skipped
                assertThat(c.readResponse()).as(junk).matches("\\S+ (BAD|NO) .*");
            }
            assertThat(c.command("NOOP").getLast()).startsWith("t2 OK");
        }
    }

    /**
     * Seeded fuzz of the session in each state: junk built from IMAP-ish tokens and random bytes; the
     * session must answer every line and still serve a NOOP afterwards.
     */
    @Test
    void sessionSurvivesFuzzedInputInEveryState() throws Exception {
        h.append("INBOX", ImapHarness.sample("fuzz"));
        String[] tokens = {"FETCH", "UID", "SELECT", "EXAMINE", "LIST", "LSUB", "NOOP", "CAPABILITY", "ID", "LOGIN", "CLOSE",
            "UNSELECT", "BODY[", "BODY.PEEK[]", "]", "(", ")", "\"", "1:*", "*", "$", "INBOX", "NIL", "<0.1>", "HEADER.FIELDS",
            "%", "&Jjo-", "\\Seen", "ENVELOPE", "BODYSTRUCTURE", "0", "4294967296", "-1", ",", ":", "~", "\u00e9", "SEARCH", "STORE"};
        java.util.Random rnd = new java.util.Random(20261122);
        for (int state = 0; state < 3; state++) {
            try (ImapClient c = state == 0 ? ImapClient.tls(h.tls.port(), h.clientTls) : h.login()) {
                if (state == 0) c.readResponse();
                if (state == 2) c.command("SELECT INBOX");
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    StringBuilder line = new StringBuilder("f" + i);
                    int n = rnd.nextInt(8);
                    for (int k = 0; k < n; k++) {
                        line.append(rnd.nextInt(5) == 0 ? "" : " ");
                        line.append(rnd.nextInt(10) == 0 ? String.valueOf((char) (0x21 + rnd.nextInt(200))) : tokens[rnd.nextInt(tokens.length)]);
                    }
                    String l = line.toString();
                    if (l.contains("{") || l.toUpperCase().contains("LOGOUT")) continue;
                    batch.append(l).append("\r\n");
                }
                c.send(batch.toString());
                c.send("done NOOP\r\n");
                List<String> replies = c.until("done");
                assertThat(replies.getLast()).as("state %d", state).startsWith("done OK");
            }
        }
    }
}
