package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ENABLE IMAP4rev2 (RFC 9051): no \Recent, ESEARCH for every SEARCH, a LIST in SELECT, UTF-8 mailbox names. */
class Imap4rev2Test {
    private static byte[] mail(String subject) {
        return ("From: a@remote.example\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rev2SemanticsAfterEnable(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            h.append("INBOX", mail("one"));
            h.append("INBOX", mail("two"));
            try (ImapClient c = h.login()) {
                assertThat(c.command("CAPABILITY").getFirst()).contains(" IMAP4rev1 IMAP4rev2 ");
                assertThat(c.command("ENABLE IMAP4rev2").getFirst()).isEqualTo("* ENABLED IMAP4rev2");
                List<String> select = c.command("SELECT INBOX");
                assertThat(select).contains("* 2 EXISTS", "* LIST () \"/\" \"INBOX\"").noneMatch(l -> l.contains("RECENT") || l.contains("UNSEEN"));
                assertThat(c.command("SEARCH ALL").getFirst()).isEqualTo("* ESEARCH (TAG \"t5\") ALL 1:2");
                assertThat(c.command("UID SEARCH SUBJECT two").getFirst()).isEqualTo("* ESEARCH (TAG \"t6\") UID ALL 2");
                assertThat(c.command("SEARCH SUBJECT nothing").getFirst()).isEqualTo("* ESEARCH (TAG \"t7\")");
                assertThat(c.command("FETCH 1:2 FLAGS")).allMatch(l -> !l.contains("\\Recent"));
                // Mailbox names are UTF-8 on the wire now, not modified UTF-7.
                assertThat(ImapClient.last(c.command("CREATE \"Über\""))).contains("OK");
                String utf8OnTheWire = new String("Über".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1); // the test client reads octets
                assertThat(c.command("LIST \"\" \"Ü*\"").getFirst()).isEqualTo("* LIST (\\HasNoChildren) \"/\" \"" + utf8OnTheWire + "\"");
                h.append("INBOX", mail("three"));
                List<String> noop = c.command("NOOP");
                assertThat(noop).contains("* 3 EXISTS").noneMatch(l -> l.contains("RECENT"));
                assertThat(c.command("EXAMINE INBOX").getFirst()).isEqualTo("* OK [CLOSED] Previous mailbox closed");
                assertThat(ImapClient.last(c.command("SEARCH OR NEW SEEN"))).contains("BAD RECENT, NEW and OLD are not IMAP4rev2 search keys");
                assertThat(ImapClient.last(c.command("STATUS INBOX (MESSAGES RECENT)"))).contains("BAD RECENT is not an IMAP4rev2 status item");
                assertThat(c.command("STATUS INBOX (MESSAGES DELETED)").getFirst()).isEqualTo("* STATUS \"INBOX\" (MESSAGES 3 DELETED 0)");
            }
            // A rev1 session of the same mailbox still gets \Recent: the rev2 session claimed none.
            try (ImapClient c = h.login()) {
                List<String> select = c.command("SELECT INBOX");
                assertThat(select).contains("* 3 RECENT");
                assertThat(c.command("SEARCH ALL").getFirst()).isEqualTo("* SEARCH 1 2 3");
            }
        }
    }
}
