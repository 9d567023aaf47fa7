package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapConfig;
import dev.postvault.imap.ImapHarness;
import dev.postvault.net.CommandRate;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that floods commands is paced to the configured rate, and every command is still answered. */
class CommandRateTest {
    @Test
    void aFloodOfCommandsIsPacedNotDropped(@TempDir Path dir) throws Exception {
        ImapConfig config = ImapConfig.defaults("imap.test").withCommandRate(new CommandRate.Limit(40, 5));
        try (ImapHarness h = new ImapHarness(dir, false, config); ImapClient c = h.login()) {
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 45; i++) flood.append("n").append(i).append(" NOOP\r\n");
            long start = System.nanoTime();
            c.send(flood.toString());
            for (int i = 0; i < 45; i++) assertThat(c.until("n" + i).getLast()).startsWith("n" + i + " OK");
            long millis = (System.nanoTime() - start) / 1_000_000;
            // LOGIN took a token; 5 of burst, then 41 more at 40 per second: about a second.
            assertThat(millis).isGreaterThanOrEqualTo(800L);
        }
    }
}
