package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.server.Node;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxLimits;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool benchmark's verification passes on intact mail and fails on any difference. */
class SpoolVerifyTest {
    @Test
    void verifyAcceptsIntactMailAndRejectsAlteredMissingOrExtraMail(@TempDir Path dir) {
        var cheap = new Node.Settings(new Argon2Params(1024, 1, 1), Duration.ofMinutes(1), MailboxLimits.DEFAULT);
        try (Node node = Node.open(dir.resolve("data"), cheap)) {
            node.control().addDomain("bench.test");
            var created = node.accounts().createAlias("v@bench.test", Optional.empty(), false);
            var session = node.accounts().login("v@bench.test", created.password());
            var factory = new MessageFactory(9);
            byte[][] mail = new byte[3][];
            for (int i = 0; i < mail.length; i++) {
                mail[i] = factory.textMessage(i, "v@bench.test", SpoolBench.receivedAt(i), 2048);
                node.spool().enqueue(session.alias(), new ByteArrayInputStream(mail[i]), SpoolBench.receivedAt(i));
            }
            try (Mailbox mb = node.mailboxes().open(session.alias().id(), session.dek())) {
                node.spool().drain(mb);
                SpoolBench.verify(node, mb, session.alias(), mail);

                byte[][] altered = Arrays.stream(mail).map(byte[]::clone).toArray(byte[][]::new);
                altered[1][altered[1].length - 3] ^= 1;
                assertThatThrownBy(() -> SpoolBench.verify(node, mb, session.alias(), altered))
                        .isInstanceOf(BenchmarkFailure.class).hasMessageContaining("byte for byte");
                assertThatThrownBy(() -> SpoolBench.verify(node, mb, session.alias(), Arrays.copyOf(mail, 2)))
                        .isInstanceOf(BenchmarkFailure.class).hasMessageContaining("INBOX holds 3");
                byte[][] more = Arrays.copyOf(mail, 4);
                more[3] = mail[0];
                assertThatThrownBy(() -> SpoolBench.verify(node, mb, session.alias(), more))
                        .isInstanceOf(BenchmarkFailure.class).hasMessageContaining("expected 4");
            }
        }
    }
}
