package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import dev.postvault.store.mailbox.Mailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEARCH TEXT and HEADER against signed mail and attachments (RFC 9051 §6.4.4): TEXT leaves signature
 * values out, as the full-text index does, and reads part headers and file names; HEADER matches
 * signature values exactly. The answers are the same before the
 * background indexer has seen the messages and after.
 */
class SearchTextTest {
    private static final String SIGNATURE = "AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB4nujc7YopdG5dWLSdNg6x";

    private static byte[] signed(String subject, String body) {
        return ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=signer.example; s=s1;\r\n"
                + "\th=from:to:subject; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                + "\tb=" + SIGNATURE + "\r\n"
                + "From: Alice <alice@example.org>\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textSkipsSignatureValuesAndHeaderFindsThem(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            h.append("INBOX", signed("quarterly report", "numbers attached"));
            h.append("INBOX", "From: Bob <bob@example.org>\r\nSubject: lunch\r\n\r\nsee you at noon\r\n".getBytes(StandardCharsets.UTF_8));
            h.append("INBOX", ("From: Carol <carol@example.org>\r\nSubject: papers\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                    + "--b\r\nContent-Type: text/plain\r\n\r\nhere they are\r\n"
                    + "--b\r\nContent-Type: application/pdf\r\n"
                    + "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8));
            try (ImapClient c = h.login()) {
                c.command("SELECT INBOX");
                expectAnswers(c);
                waitUntilIndexed(h);
                expectAnswers(c);
            }
        }
    }

    private static void expectAnswers(ImapClient c) throws Exception {
        assertThat(c.command("SEARCH TEXT \"numbers\"").getFirst()).isEqualTo("* SEARCH 1");
        assertThat(c.command("SEARCH TEXT \"d=signer.example\"").getFirst()).isEqualTo("* SEARCH 1");
        assertThat(c.command("SEARCH TEXT \"noon\"").getFirst()).isEqualTo("* SEARCH 2");
        assertThat(c.command("SEARCH TEXT \"" + SIGNATURE.substring(20, 32) + "\"").getFirst()).isEqualTo("* SEARCH");
        assertThat(c.command("SEARCH TEXT \"2jUSOH9Nht\"").getFirst()).isEqualTo("* SEARCH");
        assertThat(c.command("SEARCH HEADER DKIM-Signature \"" + SIGNATURE.substring(20, 32) + "\"").getFirst()).isEqualTo("* SEARCH 1");
        assertThat(c.command("SEARCH HEADER dkim-signature \"bh=2jUSOH9Nht\"").getFirst()).isEqualTo("* SEARCH 1");
        assertThat(c.command("SEARCH HEADER Subject \"report\"").getFirst()).isEqualTo("* SEARCH 1");
        assertThat(c.command("SEARCH HEADER DKIM-Signature \"\"").getFirst()).isEqualTo("* SEARCH 1");
        // RFC 9051 §6.4.4: TEXT includes MIME header fields; attachment names are found decoded.
        assertThat(c.command("SEARCH CHARSET UTF-8 TEXT {8+}\r\nrésumé").getFirst()).isEqualTo("* SEARCH 3");
        assertThat(c.command("SEARCH TEXT \"application/pdf\"").getFirst()).isEqualTo("* SEARCH 3");
        assertThat(c.command("SEARCH BODY \"application/pdf\"").getFirst()).as("BODY is the text, not part headers").isEqualTo("* SEARCH");
    }

    private static void waitUntilIndexed(ImapHarness h) throws InterruptedException {
        try (Mailbox m = h.store.mailboxes.open(h.user.alias().id(), h.user.dek())) {
            m.indexInBackground();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(m.unindexedCount()).isZero();
            assertThat(m.textCandidates("numbers")).hasValueSatisfying(ids -> assertThat(ids).hasSize(1));
            assertThat(m.textCandidates(SIGNATURE.substring(20, 32))).hasValueSatisfying(ids -> assertThat(ids).isEmpty());
        }
    }
}
