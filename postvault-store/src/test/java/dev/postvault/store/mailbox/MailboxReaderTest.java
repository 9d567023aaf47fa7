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
                    var keys = r.sortKeys(m.folder("INBOX").id(), all).get(meta.contentId());
                    assertThat(keys).isEqualTo(dev.postvault.mime.SortKeys.of(parsed.envelope()));
                    // Only the keys asked for are read; the others are empty.
                    var some = r.sortKeys(m.folder("INBOX").id(), java.util.EnumSet.of(dev.postvault.mime.SortKeys.Field.FROM,
                            dev.postvault.mime.SortKeys.Field.DISPLAY_TO)).get(meta.contentId());
                    assertThat(some).isEqualTo(new dev.postvault.mime.SortKeys(java.util.Optional.empty(), java.util.Optional.empty(), "",
                            keys.from(), "", "", "", keys.displayTo()));
                    assertThat(r.sortKeys(m.folder("INBOX").id(), java.util.EnumSet.of(dev.postvault.mime.SortKeys.Field.SENT))
                            .get(meta.contentId())).isEqualTo(new dev.postvault.mime.SortKeys(keys.sentAt(), keys.sentDay(), "", "", "", "", "", ""));
                    assertThat(keys.subject()).isEqualTo("QUARTERLY NUMBERS");
                    assertThat(keys.sentDay()).contains(java.time.LocalDate.of(2026, 11, 22));
                    assertThat(r.sentDays(m.folder("INBOX").id()).get(meta.contentId())).isEqualTo(keys.sentDay());
                    long folder = m.folder("INBOX").id();
                    assertThat(r.searchFields(folder, "subject").get(meta.contentId())).contains("Quarterly numbers");
                    assertThat(r.searchFields(folder, "from").get(meta.contentId())).contains("Alice Example <alice@sender.example>\0Alice Example <alice@sender.example>");
                    assertThat(r.searchFields(folder, "bcc").get(meta.contentId())).as("no Bcc field").isEmpty();
                    assertThat(r.searchFields(folder, "message-id").get(meta.contentId())).isEqualTo(
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

    private static void awaitIndexed(Mailbox m) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (m.unindexedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(m.unindexedCount()).isZero();
    }
}
