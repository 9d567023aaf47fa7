package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.mime.MimeParser;
import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache a reader serves bulk commands from agrees with the message it was derived from. */
class MailboxReaderTest {
    @Test
    void headerStructureAndTextsAreThoseOfTheMessage(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                byte[] raw = TestMessages.withAttachment("Quarterly numbers", "see the attached deadline plan",
                        TestMessages.randomBytes(200_000, 3));
                m.append("INBOX", raw, MessageFlags.NONE, Instant.now());
                MessageMeta meta = m.messages(m.folder("INBOX").id()).getFirst();
                var parsed = MimeParser.parse(raw);
                try (MailboxReader r = m.reader()) {
                    assertThat(r.header(meta.contentId())).isEqualTo(Arrays.copyOf(raw, parsed.root().headerEnd()));
                    assertThat(r.structure(meta.contentId())).isEqualTo(parsed);
                    assertThat(r.envelope(meta.contentId())).isEqualTo(parsed.envelope());
                    var all = java.util.EnumSet.allOf(dev.postvault.mime.SortKeys.Field.class);
                    long[] ids = {meta.contentId()};
                    var keys = r.sortKeys(m.folder("INBOX").id(), all, ids).get(meta.contentId());
                    assertThat(keys).isEqualTo(dev.postvault.mime.SortKeys.of(parsed.envelope()));
                    // Only the keys asked for are read; the others are empty.
                    var some = r.sortKeys(m.folder("INBOX").id(), java.util.EnumSet.of(dev.postvault.mime.SortKeys.Field.FROM,
                            dev.postvault.mime.SortKeys.Field.DISPLAY_TO), ids).get(meta.contentId());
                    assertThat(some).isEqualTo(new dev.postvault.mime.SortKeys(java.util.Optional.empty(), java.util.Optional.empty(), "",
                            keys.from(), "", "", "", keys.displayTo()));
                    assertThat(r.sortKeys(m.folder("INBOX").id(), java.util.EnumSet.of(dev.postvault.mime.SortKeys.Field.SENT), ids)
                            .get(meta.contentId())).isEqualTo(new dev.postvault.mime.SortKeys(keys.sentAt(), keys.sentDay(), "", "", "", "", "", ""));
                    assertThat(keys.subject()).isEqualTo("QUARTERLY NUMBERS");
                    assertThat(keys.sentDay()).contains(java.time.LocalDate.of(2026, 11, 22));
                    assertThat(r.sentDays(m.folder("INBOX").id(), ids).get(meta.contentId())).isEqualTo(keys.sentDay());
                    long folder = m.folder("INBOX").id();
                    assertThat(r.searchFields(folder, "subject", ids).get(meta.contentId())).contains("Quarterly numbers");
                    assertThat(r.searchFields(folder, "from", ids).get(meta.contentId())).contains("Alice Example <alice@sender.example>\0Alice Example <alice@sender.example>");
                    assertThat(r.searchFields(folder, "bcc", ids).get(meta.contentId())).as("no Bcc field").isEmpty();
                    assertThat(r.searchFields(folder, "message-id", ids).get(meta.contentId())).isEqualTo(
                            dev.postvault.mime.SearchFields.text(r.header(meta.contentId()), parsed.envelope(), "message-id"));
                    assertThat(r.raw(meta.contentId())).isEqualTo(raw);
                }
                awaitIndexed(m);
                try (MailboxReader r = m.reader()) {
                    SearchTexts texts = r.texts(meta.contentId()).orElseThrow();
                    SearchTexts derived = SearchTexts.of(raw, parsed);
                    assertThat(texts.header()).isEqualTo(derived.header());
                    assertThat(texts.body()).isEqualTo(derived.body());
                    assertThat(texts.headerContains(SearchTexts.fold("QUARTERLY Numbers"))).isTrue();
                    assertThat(texts.bodyContains(SearchTexts.fold("Deadline plan"))).isTrue();
                    assertThat(texts.bodyContains(SearchTexts.fold("quarterly"))).as("the header is not body text").isFalse();
                }
            }
        }
    }

    @Test
    void aReaderKeepsItsSnapshotAndAnExpungedMessageLeavesNoCacheBehind(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                m.append("INBOX", TestMessages.simple("one", "first"), MessageFlags.NONE, Instant.now());
                awaitIndexed(m);
                long folder = m.folder("INBOX").id();
                MessageMeta meta = m.messages(folder).getFirst();
                try (MailboxReader r = m.reader()) {
                    r.header(meta.contentId()); // the snapshot starts here
                    m.expunge(folder, List.of(meta.uid()));
                    assertThat(r.structure(meta.contentId()).envelope().decodedSubject()).contains("one");
                    assertThat(r.texts(meta.contentId())).isPresent();
                }
                try (MailboxReader r = m.reader()) {
                    assertThatThrownBy(() -> r.header(meta.contentId()))
                            .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
                    assertThat(r.texts(meta.contentId())).isEmpty();
                }
            }
        }
    }

    /**
     * Header keys are kept in memory by content id once read (KeyCache): they stay right as mail
     * comes and goes, because no content id is given twice (Schema v10), including the newest
     * content's after it is expunged.
     */
    @Test
    void keysKeptInMemoryStayRightAsMailComesAndGoes(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                for (int i = 0; i < 3; i++) m.append("INBOX", TestMessages.simple("s" + i, "x"), MessageFlags.NONE, Instant.now());
                long folder = m.folder("INBOX").id();
                assertSubjects(m, folder, "s0", "s1", "s2");
                List<MessageMeta> before = m.messages(folder);
                m.expunge(folder, List.of(before.getLast().uid())); // the newest content goes
                m.append("INBOX", TestMessages.simple("s3", "x"), MessageFlags.NONE, Instant.now());
                long newest = m.messages(folder).getLast().contentId();
                assertThat(newest).as("a new id, not the expunged content's").isGreaterThan(before.getLast().contentId());
                assertSubjects(m, folder, "s0", "s1", "s3"); // one content missing: read alone
                for (int i = 4; i < 104; i++) m.append("INBOX", TestMessages.simple("s" + i, "x"), MessageFlags.NONE, Instant.now());
                String[] all = new String[103];
                all[0] = "s0";
                all[1] = "s1";
                for (int i = 3; i < 104; i++) all[i - 1] = "s" + i;
                assertSubjects(m, folder, all); // a hundred missing: the folder read in one statement
            }
            // Reopened, the ids go on from the last one given.
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                long folder = m.folder("INBOX").id();
                long last = m.messages(folder).getLast().contentId();
                m.expunge(folder, List.of(m.messages(folder).getLast().uid()));
                m.append("INBOX", TestMessages.simple("again", "x"), MessageFlags.NONE, Instant.now());
                assertThat(m.messages(folder).getLast().contentId()).isGreaterThan(last);
            }
        }
    }

    /** With room for fewer keys than the folder has messages, every read goes to the file, and is right. */
    @Test
    void aFolderLargerThanTheKeyCacheIsReadFromTheFile(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            var small = new MailboxStore(dir.resolve("small"), fx.gate, fx.bus, MailboxLimits.DEFAULT.withKeyCacheEntries(4));
            var dek = dev.postvault.crypto.SecretKey32.random();
            small.create("0123456789abcdef0123456789abcdef", dek, dev.postvault.crypto.HybridKem.generate());
            try (Mailbox m = small.open("0123456789abcdef0123456789abcdef", dek)) {
                long folder = m.folder("INBOX").id();
                for (int i = 0; i < 3; i++) m.append("INBOX", TestMessages.simple("s" + i, "x"), MessageFlags.NONE, Instant.now());
                assertSubjects(m, folder, "s0", "s1", "s2");
                m.append("INBOX", TestMessages.simple("s3", "x"), MessageFlags.NONE, Instant.now());
                assertSubjects(m, folder, "s0", "s1", "s2", "s3");
                m.append("INBOX", TestMessages.simple("s4", "x"), MessageFlags.NONE, Instant.now());
                assertSubjects(m, folder, "s0", "s1", "s2", "s3", "s4");
            } finally {
                small.close();
            }
        }
    }

    private static void assertSubjects(Mailbox m, long folder, String... subjects) {
        List<MessageMeta> metas = m.messages(folder);
        long[] ids = metas.stream().mapToLong(MessageMeta::contentId).toArray();
        try (MailboxReader r = m.reader()) {
            var texts = r.searchFields(folder, "subject", ids);
            var keys = r.sortKeys(folder, java.util.EnumSet.of(dev.postvault.mime.SortKeys.Field.SUBJECT), ids);
            assertThat(metas.stream().map(meta -> texts.get(meta.contentId()).orElseThrow()).toList()).containsExactly(subjects);
            assertThat(metas.stream().map(meta -> keys.get(meta.contentId()).subject()).toList())
                    .containsExactly(java.util.Arrays.stream(subjects).map(x -> x.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        }
    }

    private static void awaitIndexed(Mailbox m) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(m.unindexedCount()).isZero();
    }
}
