package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts for folder and message commands, including what a second session is told and when. */
class MailboxCommandsTest {
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
    void createRenameDeleteSubscribeAndStatus() throws Exception {
        try (ImapClient c = h.login()) {
            assertThat(c.command("CREATE Projects/2026/Q4").getLast()).startsWith("t2 OK");
            assertThat(c.command("CREATE Projects").getLast()).startsWith("t3 NO [ALREADYEXISTS]");
            assertThat(c.command("LIST \"\" \"Projects*\"")).containsExactly(
                    "* LIST (\\HasChildren) \"/\" \"Projects\"", "* LIST (\\HasChildren) \"/\" \"Projects/2026\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Projects/2026/Q4\"", "t4 OK LIST completed");
            assertThat(c.command("RENAME Projects Work").getLast()).startsWith("t5 OK");
            assertThat(c.command("LIST \"\" \"*/Q4\"")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"Work/2026/Q4\"", "t6 OK LIST completed");
            // RFC 9051 §6.3.5: a folder with children is deleted but its name stays, \Noselect.
            assertThat(c.command("DELETE Work").getLast()).startsWith("t7 OK");
            assertThat(c.command("DELETE Work").getLast()).startsWith("t8 NO [HASCHILDREN]");
            assertThat(c.command("SELECT Work").getLast()).startsWith("t9 NO");
            assertThat(c.command("LIST \"\" Work").getFirst()).isEqualTo("* LIST (\\Noselect \\HasChildren) \"/\" \"Work\"");
            assertThat(c.command("DELETE INBOX").getLast()).startsWith("t11 NO");
            assertThat(c.command("SUBSCRIBE Work/2026/Q4").getLast()).startsWith("t12 OK");
            assertThat(c.command("LSUB \"\" \"Work/%\"")).containsExactly("* LSUB (\\Noselect) \"/\" \"Work/2026\"", "t13 OK LSUB completed");
            assertThat(c.command("CREATE \"Caf&AOk-\"").getLast()).startsWith("t14 OK"); // "Café" in modified UTF-7
            assertThat(c.command("LIST \"\" Caf*")).contains("* LIST (\\HasNoChildren) \"/\" \"Caf&AOk-\"");
            h.append("INBOX", ImapHarness.sample("one"));
            assertThat(c.command("STATUS INBOX (MESSAGES UNSEEN UIDNEXT RECENT SIZE)").getFirst())
                    .isEqualTo("* STATUS \"INBOX\" (MESSAGES 1 UNSEEN 1 UIDNEXT 2 RECENT 1 SIZE " + ImapHarness.sample("one").length + ")");
            assertThat(c.command("STATUS Nope (MESSAGES)").getLast()).startsWith("t17 NO [NONEXISTENT]");
            // RFC 9208: DELETED-STORAGE is what EXPUNGE would free, in KiB, here one message marked \Deleted.
            assertThat(c.command("STATUS INBOX (DELETED DELETED-STORAGE)").getFirst()).isEqualTo("* STATUS \"INBOX\" (DELETED 0 DELETED-STORAGE 0)");
            assertThat(c.command("SELECT INBOX").getLast()).contains("OK");
            assertThat(c.command("STORE 1 +FLAGS (\\Deleted)").getLast()).contains("OK");
            assertThat(c.command("STATUS INBOX (DELETED DELETED-STORAGE)").getFirst()).isEqualTo("* STATUS \"INBOX\" (DELETED 1 DELETED-STORAGE "
                    + (ImapHarness.sample("one").length + 1023) / 1024 + ")");
            assertThat(c.command("UNSELECT").getLast()).contains("OK");
            assertThat(c.command("CREATE \"Mine\" (USE (\\Flagged))").getLast()).startsWith("t23 OK");
            assertThat(c.command("LIST \"\" Mine").getFirst()).isEqualTo("* LIST (\\HasNoChildren \\Flagged) \"/\" \"Mine\"");
        }
    }

    @Test
    void appendStoreCopyMoveAndExpungeWithUidplus() throws Exception {
        try (ImapClient a = h.login(); ImapClient b = h.login()) {
            assertThat(a.command("SELECT INBOX")).contains("* 0 EXISTS");
            assertThat(b.command("SELECT INBOX")).contains("* 0 EXISTS");
            byte[] msg = ImapHarness.sample("appended");
            a.send("ap APPEND INBOX (\\Seen $Work) \"05-Mar-2026 10:00:00 +0100\" {" + msg.length + "+}\r\n");
            a.sendBytes(msg);
            a.send("\r\n");
            List<String> app = a.until("ap");
            assertThat(app).contains("* 1 EXISTS");
            assertThat(app.getLast()).matches("ap OK \\[APPENDUID \\d+ 1\\] APPEND completed");
            assertThat(a.command("FETCH 1 (FLAGS INTERNALDATE)").getFirst())
                    .isEqualTo("* 1 FETCH (FLAGS (\\Recent \\Seen $Work) INTERNALDATE \"05-Mar-2026 09:00:00 +0000\")");

            // The other session learns of the message and its new keyword at its next command.
            List<String> seen = b.command("NOOP");
            assertThat(seen).contains("* 1 EXISTS").anyMatch(l -> l.startsWith("* FLAGS (") && l.contains("$Work"));

            assertThat(a.command("STORE 1 +FLAGS (\\Flagged)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Recent \\Seen \\Flagged $Work))", "t4 OK STORE completed");
            assertThat(a.command("STORE 1 -FLAGS.SILENT ($Work)")).containsExactly("t5 OK STORE completed");
            assertThat(b.command("NOOP")).containsExactly("* 1 FETCH (FLAGS (\\Seen \\Flagged))", "t4 OK NOOP completed");

            assertThat(a.command("COPY 1 Archive").getLast()).matches("t6 OK \\[COPYUID \\d+ 1 1\\] COPY completed");
            assertThat(a.command("COPY 1 Nowhere").getLast()).startsWith("t7 NO [TRYCREATE]");
            List<String> move = a.command("UID MOVE 1 Trash");
            assertThat(move.get(0)).matches("\\* OK \\[COPYUID \\d+ 1 1\\] Moved UIDs");
            assertThat(move.get(1)).isEqualTo("* 1 EXPUNGE");
            assertThat(move.getLast()).startsWith("t8 OK");

            // b does not hear of the expunge during FETCH, only afterwards (RFC 9051 §7.5.1).
            assertThat(b.command("FETCH 1 FLAGS")).noneMatch(l -> l.contains("EXPUNGE"));
            assertThat(b.command("NOOP")).containsExactly("* 1 EXPUNGE", "t6 OK NOOP completed");
            assertThat(a.command("STATUS Archive (MESSAGES)").getFirst()).isEqualTo("* STATUS \"Archive\" (MESSAGES 1)");
        }
    }

    @Test
    void expungeRemovesOnlyDeletedAndUidExpungeOnlyTheNamedOnes() throws Exception {
        for (int i = 0; i < 4; i++) h.append("INBOX", ImapHarness.sample("m" + i));
        try (ImapClient c = h.login()) {
            c.command("SELECT INBOX");
            c.command("STORE 1:3 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("UID EXPUNGE 2")).containsExactly("* 2 EXPUNGE", "t4 OK UID EXPUNGE completed");
            assertThat(c.command("EXPUNGE")).containsExactly("* 1 EXPUNGE", "* 1 EXPUNGE", "t5 OK EXPUNGE completed");
            assertThat(c.command("FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 4)", "t6 OK FETCH completed");
        }
    }

    @Test
    void idleReportsADeliveryAtOnce() throws Exception {
        try (ImapClient c = h.login()) {
            c.command("SELECT INBOX");
            c.send("i1 IDLE\r\n");
            assertThat(c.readResponse()).startsWith("+ ");
            h.deliver("Subject: idle\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            long delivered = System.nanoTime(); // sealed in the spool: where the MX answers 250
            assertThat(c.readResponse()).isEqualTo("* 1 EXISTS"); // pushed without any command
            Duration waited = Duration.ofNanos(System.nanoTime() - delivered);
            // About 0.1 s on an idle machine; 2 s is room for a loaded 2-core CI machine, yet fails a
            // push that waits for a poll, a timer or the client's next command.
            assertThat(waited).as("from the delivery to EXISTS").isLessThan(Duration.ofSeconds(2));
            assertThat(c.readResponse()).isEqualTo("* 1 RECENT");
            c.send("DONE\r\n");
            assertThat(c.readResponse()).startsWith("i1 OK");
        }
    }

    @Test
    void quotaIsReportedAndEnforcedOnAppendAndCopy() throws Exception {
        byte[] msg = ImapHarness.sample("quota");
        h.append("INBOX", msg);
        long quota = 2L * msg.length + 10; // room for exactly one more copy
        h.store.control.setQuota(h.user.alias().id(), quota);
        try (ImapClient c = h.login()) {
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT \"INBOX\" \"\"",
                    "* QUOTA \"\" (STORAGE 1 " + quota / 1024 + ")", "t2 OK GETQUOTAROOT completed");
            assertThat(c.command("SETQUOTA \"\" (STORAGE 100)").getLast()).startsWith("t3 NO [NOPERM]");
            byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(3000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            c.send("ap APPEND INBOX {" + big.length + "+}\r\n");
            c.sendBytes(big);
            c.send("\r\n");
            assertThat(c.until("ap").getLast()).startsWith("ap NO [OVERQUOTA]");
            c.command("SELECT INBOX");
            assertThat(c.command("COPY 1 Archive").getLast()).startsWith("t5 OK"); // still under the limit
            assertThat(c.command("COPY 1 Archive").getLast()).startsWith("t6 NO [OVERQUOTA]");
            assertThat(c.command("STATUS Archive (MESSAGES)").getFirst()).isEqualTo("* STATUS \"Archive\" (MESSAGES 1)");
        }
    }

    @Test
    void listExtendedSelectsSubscribedAndSpecialUseAndReturnsStatus() throws Exception {
        h.append("INBOX", ImapHarness.sample("one"));
        try (ImapClient c = h.login()) {
            assertThat(c.command("LIST (SPECIAL-USE) \"\" \"*\"")).hasSize(6).allMatch(l -> !l.contains("INBOX"));
            c.command("CREATE Gone");
            c.command("SUBSCRIBE Gone");
            c.command("DELETE Gone");
            assertThat(c.command("LIST (SUBSCRIBED) \"\" \"G*\"")).containsExactly(
                    "* LIST (\\NonExistent \\Subscribed) \"/\" \"Gone\"", "t6 OK LIST completed");
            assertThat(c.command("LIST \"\" INBOX RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN))")).containsExactly(
                    "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
                    "* STATUS \"INBOX\" (MESSAGES 1 UNSEEN 1)", "t7 OK LIST completed");
        }
    }

    @Test
    void utf8AcceptSwitchesMailboxNamesToUtf8() throws Exception {
        try (ImapClient c = h.login()) {
            c.command("CREATE \"Caf&AOk-\"");
            assertThat(c.command("ENABLE UTF8=ACCEPT")).containsExactly("* ENABLED UTF8=ACCEPT", "t3 OK ENABLE completed");
            List<String> list = c.command("LIST \"\" Caf*");
            // The client reads ISO-8859-1 here; the server now sends the name as UTF-8 octets.
            assertThat(new String(list.getFirst().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                    .isEqualTo("* LIST (\\HasNoChildren) \"/\" \"Café\"");
            assertThat(c.command("ENABLE X-UNKNOWN")).containsExactly("* ENABLED", "t5 OK ENABLE completed");
        }
    }

    @Test
    void condstoreReportsModseqsAndFiltersChangedSince() throws Exception {
        for (int i = 0; i < 3; i++) h.append("INBOX", ImapHarness.sample("c" + i));
        try (ImapClient c = h.login()) {
            List<String> sel = c.command("SELECT INBOX (CONDSTORE)");
            String highest = sel.stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ ")).findFirst().orElseThrow();
            long before = Long.parseLong(highest.replaceAll("\\D+", " ").trim().split(" ")[0]);
            List<String> store = c.command("STORE 2 +FLAGS (\\Flagged)");
            assertThat(store.getFirst()).matches("\\* 2 FETCH \\(FLAGS \\(\\\\Recent \\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
            // Only the changed message is newer than the HIGHESTMODSEQ seen at SELECT.
            assertThat(c.command("FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + ")")).hasSize(2)
                    .first().asString().startsWith("* 2 FETCH (FLAGS (\\Recent \\Flagged) MODSEQ (");
            assertThat(c.command("UID STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Seen)").getLast())
                    .startsWith("t5 OK [MODIFIED 1]");
            assertThat(c.command("SEARCH MODSEQ " + (before + 1)).getFirst()).matches("\\* SEARCH 2 \\(MODSEQ \\d+\\)");
        }
    }

    @Test
    void compressDeflateCarriesTheSessionOn() throws Exception {
        byte[] msg = ImapHarness.sample("compressed");
        h.append("INBOX", msg);
        try (ImapClient c = h.login()) {
            assertThat(c.command("COMPRESS DEFLATE")).containsExactly("t2 OK DEFLATE active");
            c.startCompression();
            assertThat(c.command("SELECT INBOX")).contains("* 1 EXISTS");
            assertThat(c.command("FETCH 1 BODY.PEEK[]").getFirst())
                    .isEqualTo("* 1 FETCH (BODY[] {" + msg.length + "}\r\n" + new String(msg, StandardCharsets.ISO_8859_1) + ")");
            assertThat(c.command("COMPRESS DEFLATE").getLast()).startsWith("t5 NO [COMPRESSIONACTIVE]");
        }
    }

    @Test
    void aMessageHoldingNulIsFetchedWithItsOctetsAndSize() throws Exception {
        byte[] msg = "Subject: nul\r\n\r\nbefore\0after\r\n".getBytes(StandardCharsets.ISO_8859_1);
        h.append("INBOX", msg);
        String shown = new String(msg, StandardCharsets.ISO_8859_1).replace('\0', '\u0080');
        try (ImapClient c = h.login()) {
            c.command("SELECT INBOX");
            assertThat(c.command("FETCH 1 BODY.PEEK[]").getFirst()).isEqualTo("* 1 FETCH (BODY[] {" + msg.length + "}\r\n" + shown + ")");
            assertThat(c.command("FETCH 1 BODY.PEEK[TEXT]<6.3>").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT]<6> {3}\r\n\u0080af)");
            assertThat(c.command("FETCH 1 RFC822").getFirst()).isEqualTo("* 1 FETCH (RFC822 {" + msg.length + "}\r\n" + shown + " FLAGS (\\Recent \\Seen))");
            // RFC 3516: BINARY[] carries the NUL itself, in a literal8
            assertThat(c.command("FETCH 1 BINARY.PEEK[]").getFirst())
                    .isEqualTo("* 1 FETCH (BINARY[] ~{" + msg.length + "}\r\n" + new String(msg, StandardCharsets.ISO_8859_1) + ")");
        }
    }

    @Test
    void compressionSendsNothingUntilTheNextCommand() throws Exception {
        try (ImapClient c = h.login()) {
            assertThat(c.command("COMPRESS DEFLATE")).containsExactly("t2 OK DEFLATE active");
            // An empty sync-flush block (00 00 ff ff) here made mbsync 1.4.4 fail with "empty response".
            assertThat(c.quietFor(java.time.Duration.ofMillis(300))).isTrue();
        }
    }

    @Test
    void compressedSessionAppendsAMegabyteWithASynchronizingLiteral() throws Exception {
        // mbsync's push of a 1 MB attachment: APPEND {n}, wait for "+", send, read the tagged answer.
        byte[] attachment = new byte[1024 * 1024];
        new java.util.Random(7).nextBytes(attachment);
        byte[] msg = dev.postvault.store.TestMessages.withAttachment("big", "see attached", attachment);
        try (ImapClient c = h.login()) {
            assertThat(c.command("COMPRESS DEFLATE")).containsExactly("t2 OK DEFLATE active");
            c.startCompression();
            c.send("t3 APPEND INBOX {" + msg.length + "}\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            c.sendBytes(msg);
            c.send("\r\n");
            assertThat(c.until("t3").getLast()).startsWith("t3 OK [APPENDUID");
            assertThat(c.command("SELECT INBOX")).contains("* 1 EXISTS");
            assertThat(c.command("FETCH 1 RFC822.SIZE").getFirst()).isEqualTo("* 1 FETCH (RFC822.SIZE " + msg.length + ")");
        }
    }

    @Test
    void qresyncReportsWhatVanishedAndChangedSinceTheClientsState() throws Exception {
        for (int i = 0; i < 4; i++) h.append("INBOX", ImapHarness.sample("q" + i));
        long validity;
        long modseq;
        try (ImapClient c = h.login()) {
            assertThat(c.command("ENABLE QRESYNC")).containsExactly("* ENABLED QRESYNC", "t2 OK ENABLE completed");
            List<String> sel = c.command("SELECT INBOX");
            validity = number(sel, "UIDVALIDITY");
            modseq = number(sel, "HIGHESTMODSEQ");
        }
        try (ImapClient other = h.login()) {
            other.command("SELECT INBOX");
            other.command("STORE 2 +FLAGS.SILENT (\\Deleted)");
            other.command("EXPUNGE");
            other.command("UID STORE 3 +FLAGS.SILENT (\\Flagged)");
        }
        try (ImapClient c = h.login()) {
            c.command("ENABLE QRESYNC");
            List<String> sel = c.command("SELECT INBOX (QRESYNC (" + validity + " " + modseq + "))");
            assertThat(sel).contains("* VANISHED (EARLIER) 2");
            assertThat(sel).anyMatch(l -> l.matches("\\* 2 FETCH \\(UID 3 FLAGS \\(.*\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)"));
            assertThat(c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + " VANISHED)"))
                    .startsWith("* VANISHED (EARLIER) 2").anyMatch(l -> l.startsWith("* 2 FETCH (UID 3 FLAGS ("));
            // With QRESYNC on, this session's own expunges are reported as VANISHED too.
            c.command("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("EXPUNGE")).containsExactly("* VANISHED 1", "t6 OK EXPUNGE completed");
        }
    }

    private static long number(List<String> lines, String code) {
        String l = lines.stream().filter(x -> x.startsWith("* OK [" + code + " ")).findFirst().orElseThrow();
        return Long.parseLong(l.substring(("* OK [" + code + " ").length(), l.indexOf(']')));
    }

    @Test
    void searchResSavesAResultForLaterCommands() throws Exception {
        for (int i = 0; i < 5; i++) h.append("INBOX", ImapHarness.sample("s" + i));
        try (ImapClient c = h.login()) {
            c.command("SELECT INBOX");
            assertThat(c.command("FETCH $ FLAGS")).containsExactly("t3 OK FETCH completed"); // empty until saved
            c.command("STORE 2,4 +FLAGS.SILENT (\\Flagged)");
            assertThat(c.command("SEARCH RETURN (SAVE) FLAGGED")).containsExactly("t5 OK SEARCH completed");
            assertThat(c.command("FETCH $ UID")).containsExactly("* 2 FETCH (UID 2)", "* 4 FETCH (UID 4)", "t6 OK FETCH completed");
            assertThat(c.command("SEARCH RETURN (MIN SAVE) FLAGGED").getFirst()).isEqualTo("* ESEARCH (TAG \"t7\") MIN 2");
            assertThat(c.command("UID SEARCH UID $")).containsExactly("* SEARCH 2", "t8 OK UID SEARCH completed");
            assertThat(c.command("STATUS INBOX (SIZE)").getFirst()).startsWith("* STATUS \"INBOX\" (SIZE ");
        }
    }
}
