package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FETCH of small items over many messages renders runs of them on several threads: the client
 * gets the same responses, in the same order, as from the one-thread path a body item takes.
 */
class ParallelFetchTest {
    private static final int MESSAGES = 1300; // more than two runs of 512: the parallel path

    @Test
    void manyMessagesComeBackInOrderAndAsTheSequentialPathRendersThem(@TempDir Path dir) throws Exception {
        try (var h = new ImapHarness(dir, false)) {
            for (int i = 1; i <= MESSAGES; i++) h.append("INBOX", ImapHarness.sample("message " + i));
            try (ImapClient c = h.login()) {
                assertThat(ImapClient.last(c.command("SELECT INBOX"))).startsWith("t2 OK");
                String items = "UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (Subject)]";
                List<String> parallel = c.command("FETCH 1:* (" + items + ")");
                // BODY[TEXT] is no small item: this fetch renders on the session's thread alone.
                List<String> sequential = c.command("FETCH 1:* (" + items + " BODY.PEEK[TEXT]<0.1>)");
                assertThat(parallel).hasSize(MESSAGES + 1);
                assertThat(ImapClient.last(parallel)).startsWith("t3 OK");
                for (int i = 1; i <= MESSAGES; i++) {
                    String line = parallel.get(i - 1);
                    assertThat(line).startsWith("* " + i + " FETCH (UID " + i + " ").contains("Subject: message " + i + "\r\n\r\n");
                    assertThat(line).isEqualTo(sequential.get(i - 1).replaceFirst(" BODY\\[TEXT\\]<0> \\{1\\}\r\n.\\)$", ")"));
                }
                // Without PEEK the header fetch sets \Seen on every message and reports it in each response.
                List<String> seen = c.command("FETCH 1:* (BODY[HEADER.FIELDS (Subject)])");
                assertThat(seen).hasSize(MESSAGES + 1);
                for (int i = 1; i <= MESSAGES; i++) {
                    assertThat(seen.get(i - 1)).startsWith("* " + i + " FETCH (BODY[HEADER.FIELDS (Subject)] {")
                            .endsWith(" FLAGS (\\Recent \\Seen))");
                }
            }
        }
    }
}
