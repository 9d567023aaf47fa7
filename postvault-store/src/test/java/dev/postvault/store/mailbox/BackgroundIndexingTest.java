package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every append is indexed, however its request races the end of a background pass: a request that
 * arrived while a pass was finding nothing left was once lost, and the message stayed unindexed
 * until the next delivery.
 */
class BackgroundIndexingTest {
    @Test
    void everyAppendGetsIndexedWithoutAnotherTrigger(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                for (int i = 0; i < 150; i++) {
                    m.append("INBOX", TestMessages.simple("m" + i, "body " + i), MessageFlags.NONE, Instant.now());
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
                    assertThat(m.unindexedCount()).as("append %d indexed", i).isZero();
                }
                assertThat(m.textCandidates("body 149")).hasValueSatisfying(ids -> assertThat(ids).hasSize(1));
            }
        }
    }

    /**
     * The index is derived data that search does without, so indexing waits while sessions work on
     * the node (here one flags messages without pause) and catches up when they stop.
     */
    @Test
    void indexingWaitsWhileSessionsWorkAndCatchesUpWhenTheyPause(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                m.append("INBOX", TestMessages.simple("waiting", "a body to index"), MessageFlags.NONE, Instant.now());
                long folder = m.folder("INBOX").id();
                long until = System.nanoTime() + 1_000_000_000L;
                for (int i = 0; System.nanoTime() < until; i++) {
                    m.storeFlags(folder, java.util.List.of(1L), i % 2 == 0 ? FlagMode.ADD : FlagMode.REMOVE, MessageFlags.of(SystemFlag.FLAGGED),
                            java.util.OptionalLong.empty());
                }
                assertThat(m.unindexedCount()).as("not indexed while a session worked").isEqualTo(1);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(m.unindexedCount()).as("indexed once it paused").isZero();
            }
        }
    }

    /**
     * A backlog (an import, an index rebuilt by a migration) still catches up while sessions work
     * without pause: after its first full batch it waits only briefly for them, where a trickle of
     * new mail waits up to 5 s a batch (four batches here would take 20 s).
     */
    @Test
    void aBacklogCatchesUpWhileSessionsWork(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                java.util.List<Mailbox.NewMessage> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 250; i++) batch.add(new Mailbox.NewMessage(TestMessages.simple("m" + i, "body " + i), MessageFlags.NONE, Instant.now()));
                m.appendAll("INBOX", batch);
                long folder = m.folder("INBOX").id();
                long start = System.nanoTime();
                long deadline = start + 14_000_000_000L;
                for (int i = 0; m.unindexedCount() > 0 && System.nanoTime() < deadline; i++) {
                    m.storeFlags(folder, java.util.List.of(1L), i % 2 == 0 ? FlagMode.ADD : FlagMode.REMOVE, MessageFlags.of(SystemFlag.FLAGGED),
                            java.util.OptionalLong.empty());
                }
                assertThat(m.unindexedCount()).as("indexed while a session worked, after %d ms", (System.nanoTime() - start) / 1_000_000).isZero();
            }
        }
    }

    @Test
    void indexingThatAClosePreventedResumesWhenTheFileIsOpenedAgain(@TempDir Path dir) throws Exception {
        // The file must close with its handle, not linger (where the pass would simply go on).
        try (var fx = new StoreFixture(dir.resolve("data"), MailboxLimits.DEFAULT.withLinger(java.time.Duration.ZERO, 0))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                // Indexing waits 300 ms after a delivery, so closing right away leaves these unindexed;
                // nothing but the next open can then start the pass that indexes them.
                m.deliver(java.util.List.of(new SpoolDelivery("s1", TestMessages.simple("one", "first body"), Instant.now()),
                        new SpoolDelivery("s2", TestMessages.simple("two", "second body"), Instant.now())));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(m.unindexedCount()).isZero();
                assertThat(m.textCandidates("second body")).hasValueSatisfying(ids -> assertThat(ids).hasSize(1));
            }
        }
    }

    @Test
    void textBeyondTheIndexLimitIsStillFoundAndItsEntryRemovedCleanly(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            var small = new MailboxStore(dir.resolve("small"), fx.gate, fx.bus,
                    new MailboxLimits(MailboxLimits.DEFAULT.maxMessageBytes(), 4096, 300, 1, MailboxLimits.DEFAULT_PAGE_CACHE_KIB, MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES,
                    MailboxLimits.DEFAULT_LINGER, MailboxLimits.DEFAULT_MAX_LINGERING));
            var dek = dev.postvault.crypto.SecretKey32.random();
            small.create("0123456789abcdef0123456789abcdef", dek, dev.postvault.crypto.HybridKem.generate());
            try (Mailbox m = small.open("0123456789abcdef0123456789abcdef", dek)) {
                m.append("INBOX", TestMessages.simple("long", "filler ".repeat(200) + "zanzibar at the end"), MessageFlags.NONE, Instant.now());
                m.append("INBOX", TestMessages.simple("short", "a zanzibar trip"), MessageFlags.NONE, Instant.now());
                m.append("INBOX", TestMessages.simple("other", "nothing here"), MessageFlags.NONE, Instant.now());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(m.unindexedCount()).isZero();
                var ids = m.messages(m.folder("INBOX").id()).stream().map(MessageMeta::contentId).toList();
                // The long one's index entry stops before "zanzibar"; it stays a candidate all the same.
                assertThat(m.textCandidates("zanzibar")).hasValueSatisfying(c -> assertThat(c).containsExactlyInAnyOrder(ids.get(0), ids.get(1)));
                assertThat(m.textCandidates("nothing")).hasValueSatisfying(c -> assertThat(c).containsExactlyInAnyOrder(ids.get(0), ids.get(2)));
                m.expunge(m.folder("INBOX").id(), java.util.List.of(1L)); // removes a partly indexed entry
                assertThat(m.textCandidates("filler")).hasValueSatisfying(c -> assertThat(c).isEmpty());
            } finally {
                small.close();
            }
        }
    }
}
