package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.server.Node;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concurrent spool pipeline delivers everything once and times it; it refuses a non-empty INBOX. */
class SpoolPipelineTest {
    @Test
    void sealersAndDrainerDeliverEveryMessageOnce(@TempDir Path dir) {
        var cheap = new Node.Settings(new Argon2Params(1024, 1, 1), Duration.ofMinutes(1), MailboxLimits.DEFAULT);
        try (Node node = Node.open(dir.resolve("data"), cheap)) {
            node.control().addDomain("bench.test");
            var created = node.accounts().createAlias("p@bench.test", Optional.empty(), false);
            var session = node.accounts().login("p@bench.test", created.password());
            var factory = new MessageFactory(9);
            byte[][] mail = new byte[40][];
            for (int i = 0; i < mail.length; i++) mail[i] = factory.textMessage(i, "p@bench.test", SpoolBench.receivedAt(i), 2048);
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                SpoolBench.Pipeline t = SpoolBench.pipeline(node, session.alias(), mb, mail, 4);
                SpoolBench.verify(node, mb, session.alias(), mail);
                assertThat(t.enqueue().count()).isEqualTo(mail.length);
                assertThat(t.wallNanos()).isGreaterThanOrEqualTo(t.sealNanos()).isGreaterThanOrEqualTo(t.inboxFullNanos());
                assertThat(t.deliveringDrainCalls()).isBetween(1, mail.length);
                assertThat(t.inboxWhenSealed()).isBetween(0L, (long) mail.length);
                assertThat(t.drainShare()).isBetween(0.0, 1.0);

                assertThatThrownBy(() -> SpoolBench.pipeline(node, session.alias(), mb, mail, 2))
                        .isInstanceOf(BenchmarkFailure.class).hasMessageContaining("before the pipeline started");
            }
        }
    }
}
