package dev.postvault.store.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.events.ChangeEvent;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SpoolDelivery;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir Path dir;
    private StoreFixture fx;
    private Unlocked user;

    @BeforeEach
    void setUp() {
        fx = new StoreFixture(dir);
        fx.control.addDomain("example.org");
        var created = fx.accounts.createAlias("hello@example.org", Optional.of("spool test password"), false);
        user = fx.accounts.login("hello@example.org", created.password());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void sealedMailIsUnreadableOnDiskAndDrainsIntoInboxInOrder() throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        fx.bus.subscribe(user.alias().id(), events::add);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] msg = TestMessages.simple("Quarterly secret " + i, "the body text " + i);
            sent.add(msg);
            fx.spool.enqueue(user.alias(), new ByteArrayInputStream(msg), Instant.now());
        }
        assertThat(events).hasSize(5).allMatch(e -> e instanceof ChangeEvent.SpoolArrived);
        assertThat(fx.spool.pending(user.alias().id())).hasSize(5);
        try (var files = Files.walk(dir.resolve("spool"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String s = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(s).doesNotContain("Quarterly").doesNotContain("hello@").doesNotContain("body text");
            }
        }
        try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
            assertThat(fx.spool.drain(m)).isEqualTo(5);
            List<MessageMeta> inbox = m.messages(m.folder("INBOX").id());
            assertThat(inbox).hasSize(5);
            for (int i = 0; i < 5; i++) assertThat(m.raw(inbox.get(i).contentId())).isEqualTo(sent.get(i));
            assertThat(fx.spool.drain(m)).isZero();
        }
        assertThat(fx.spool.pending(user.alias().id())).isEmpty();
    }

    @Test
    void redeliveringAnAlreadyCommittedSpoolItemDoesNotDuplicateIt() {
        // The crash window: the mailbox committed the message but the spool file was not yet removed.
        String spoolId = fx.spool.enqueue(user.alias(), new ByteArrayInputStream(TestMessages.simple("once", "x")), Instant.now());
        try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
            m.deliver(List.of(new SpoolDelivery(spoolId, TestMessages.simple("once", "x"), Instant.now())));
            assertThat(fx.spool.drain(m)).isEqualTo(1); // the file is still there and gets drained
            assertThat(m.messages(m.folder("INBOX").id())).hasSize(1);
            assertThat(fx.spool.pending(user.alias().id())).isEmpty();
        }
    }

    @Test
    void tamperedSpoolFileIsSetAsideNotDeletedAndTheRestDrains() throws Exception {
        fx.spool.enqueue(user.alias(), new ByteArrayInputStream(TestMessages.simple("a", "x")), Instant.now());
        String bad = fx.spool.enqueue(user.alias(), new ByteArrayInputStream(TestMessages.simple("b", "y")), Instant.now());
        Path badFile = dir.resolve("spool").resolve(user.alias().id()).resolve(bad + ".msg");
        byte[] b = Files.readAllBytes(badFile);
        b[b.length - 20] ^= 1;
        Files.write(badFile, b);
        try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
            assertThat(fx.spool.drain(m)).isEqualTo(1);
        }
        assertThat(badFile.resolveSibling(bad + ".unreadable")).exists();
    }
}
