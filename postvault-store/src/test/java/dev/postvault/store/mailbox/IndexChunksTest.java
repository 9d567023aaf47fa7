package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.Sqlite;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full-text index in windows (Schema v9): what a window holds, and searches across them. */
class IndexChunksTest {
    private static final int S = ContentOps.CHUNK_BYTES;
    private static final int O = ContentOps.CHUNK_OVERLAP;

    private static List<String> windows(String text, long contentId) {
        return new ContentOps.IndexText(text.getBytes(StandardCharsets.UTF_8), true).chunks(contentId).stream()
                .map(c -> new String(c.text(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void everyStringUpToTheOverlapLiesWhollyInsideSomeWindow() {
        String text = randomText(new Random(7), 3 * S + 1000);
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(text.getBytes(StandardCharsets.US_ASCII), true).chunks(42);
        assertThat(chunks).hasSize(4);
        List<String> texts = windows(text, 42);
        for (int k = 0; k < chunks.size(); k++) {
            assertThat(chunks.get(k).rowid()).isEqualTo(k == 0 ? 42 : ContentOps.CHUNK_ROWS + ((42L << ContentOps.CHUNK_BITS) | k));
            assertThat(ContentOps.contentOfRow(chunks.get(k).rowid())).isEqualTo(42);
            assertThat(texts.get(k)).isEqualTo(text.substring(k * S, Math.min(text.length(), (k + 1) * S + O)));
        }
        // Each window reaches O octets into the next: a string of O + 1 octets at any position,
        // window boundaries included, is inside one of them.
        for (int p = 0; p + O + 1 <= text.length(); p += 97) {
            String s = text.substring(p, p + O + 1);
            assertThat(texts).as("at %d", p).anyMatch(c -> c.contains(s));
        }
        for (int p = S - O - 1; p < S + 2; p++) {
            String s = text.substring(p, p + O + 1);
            assertThat(texts).as("at %d", p).anyMatch(c -> c.contains(s));
        }
    }

    @Test
    void shortAndEmptyTextsAreOneWindowAndNoWindowSplitsACharacter() {
        assertThat(windows("", 1)).containsExactly("");
        assertThat(windows("hello", 1)).containsExactly("hello");
        assertThat(windows("x".repeat(S), 1)).hasSize(1);
        // Four-octet characters (an emoji) straddling the first boundary and the end of the first
        // window; the longest needle looked up (O / 4 of them) still lies inside one window.
        String emoji = "\uD83D\uDE00";
        String text = "a".repeat(S - 2) + emoji + "b".repeat(O - 6) + emoji + "c".repeat(S);
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(text.getBytes(StandardCharsets.UTF_8), true).chunks(1);
        for (ContentOps.Chunk c : chunks) {
            byte[] t = c.text();
            assertThat(t[0] & 0xC0).as("window starts inside a character").isNotEqualTo(0x80);
            assertThat(new String(t, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).as("window ends inside a character").isEqualTo(t);
        }
        assertThat(windows(text, 1).get(1)).startsWith(emoji + "b");
        String needle = emoji.repeat(O / 4);
        String around = "d".repeat(S - 5) + needle + "e".repeat(S);
        assertThat(windows(around, 1)).anyMatch(w -> w.contains(needle));
    }

    @Test
    void aTextLongerThanAllWindowsPutsItsRestInTheLastOne() {
        String text = "y".repeat(ContentOps.MAX_CHUNKS * S + 5000);
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(text.getBytes(StandardCharsets.US_ASCII), true).chunks(3);
        assertThat(chunks).hasSize(ContentOps.MAX_CHUNKS);
        assertThat(chunks.getLast().text()).hasSize(S + 5000);
        assertThat(ContentOps.contentOfRow(chunks.getLast().rowid())).isEqualTo(3);
    }

    /** The entry is the stored texts joined by a line break, cut on a character boundary at the limit. */
    @Test
    void theEntryIsTheStoredTextsCutOnACharacterBoundary() {
        SearchTexts texts = SearchTexts.of("Subject: Grüße\n", "Body ÄÖÜ text");
        byte[] whole = "subject: grüße\n\nbody äöü text".getBytes(StandardCharsets.UTF_8);
        var full = ContentOps.indexText(texts, MailboxLimits.DEFAULT);
        assertThat(full.complete()).isTrue();
        assertThat(full.text()).isEqualTo(whole);
        int cut = "subject: grüße\n\nbody ".getBytes(StandardCharsets.UTF_8).length + 1; // inside the two octets of ä
        var limits = new MailboxLimits(MailboxLimits.DEFAULT.maxMessageBytes(), 4096, cut, 1, MailboxLimits.DEFAULT_PAGE_CACHE_KIB,
                MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES, java.time.Duration.ZERO, 0);
        var partial = ContentOps.indexText(texts, limits);
        assertThat(partial.complete()).isFalse();
        assertThat(new String(partial.text(), StandardCharsets.UTF_8)).isEqualTo("subject: grüße\n\nbody ");
    }

    /**
     * A large message whose text holds every trigram of a word far apart but never the word is no
     * candidate for it; the word itself is found in any window, across a boundary too, and a needle
     * longer than the looked-up prefix is found by its start. Expunging removes every window.
     */
    @Test
    void largeMessagesAreCandidatesOnlyWhereOneWindowHoldsTheWholeNeedle(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                String filler = "lorem ipsum dolor sit amet ".repeat(S / 27 + 1).substring(0, S);
                // "v42683"'s trigrams v42, 426, 268, 683, each in another window.
                String scattered = "v42 " + filler + " 426 " + filler + " 268 " + filler + " 683 " + filler;
                String boundary = filler.substring(0, S - 3) + "zanzibar" + filler;
                String longNeedle = "q".repeat(300) + "tail";
                String long1 = filler.substring(0, S - 150) + longNeedle + filler;
                m.append("INBOX", TestMessages.simple("scattered", scattered), MessageFlags.NONE, Instant.now());
                m.append("INBOX", TestMessages.simple("boundary", boundary), MessageFlags.NONE, Instant.now());
                m.append("INBOX", TestMessages.simple("long needle", long1), MessageFlags.NONE, Instant.now());
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!m.indexIdle() && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(m.unindexedCount()).isZero();
                var ids = m.messages(m.folder("INBOX").id()).stream().map(MessageMeta::contentId).toList();
                assertThat(m.textCandidates("v42683")).contains(java.util.Set.of());
                assertThat(m.textCandidates("v42")).contains(java.util.Set.of(ids.get(0)));
                assertThat(m.textCandidates("ZANZIBAR")).contains(java.util.Set.of(ids.get(1)));
                assertThat(m.textCandidates(longNeedle)).contains(java.util.Set.of(ids.get(2)));
                m.addFlags(m.folder("INBOX").id(), List.of(1L, 2L, 3L), java.util.EnumSet.of(SystemFlag.DELETED));
                m.expungeDeleted(m.folder("INBOX").id(), java.util.Optional.empty());
                assertThat(m.textCandidates("lorem")).contains(java.util.Set.of());
                assertThat(m.textCandidates("683")).contains(java.util.Set.of());
            }
        }
    }

    /**
     * Schema v11 rebuilds the index from the stored texts, never from the message: here the stored
     * message is swapped for another one (the same size, so it still loads) and the index must still
     * hold the texts of the original. Expunging afterwards removes its rows with those texts.
     */
    @Test
    void aMigratedIndexIsRebuiltFromTheStoredTexts(@TempDir Path dir) throws Exception {
        String body = "Grüße aus Köln, the quarterly zanzibar report";
        long contentId;
        SecretKey32 dek;
        String aliasId;
        try (var fx = new StoreFixture(dir.resolve("data"), MailboxLimits.DEFAULT.withLinger(java.time.Duration.ZERO, 0))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            dek = SecretKey32.of(u.dek().bytes());
            aliasId = u.alias().id();
            try (Mailbox m = fx.mailboxes.open(aliasId, u.dek())) {
                m.append("INBOX", TestMessages.simple("report", body), MessageFlags.NONE, Instant.now());
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!m.indexIdle() && System.nanoTime() < deadline) Thread.sleep(5);
                contentId = m.messages(m.folder("INBOX").id()).getFirst().contentId();
                assertThat(m.textCandidates("zanzibar")).contains(java.util.Set.of(contentId));
            }
        }
        Path file = dir.resolve("data/mailboxes/" + aliasId + ".sqlite");
        try (Connection c = Sqlite.open(file, dek)) {
            long size;
            try (var rs = c.createStatement().executeQuery("SELECT size FROM contents WHERE id = " + contentId)) {
                rs.next();
                size = rs.getLong(1);
            }
            String other = "Subject: x\r\n\r\n";
            byte[] swapped = (other + "y".repeat((int) size - other.length())).getBytes(StandardCharsets.US_ASCII);
            var split = MessageContent.split(swapped, dev.postvault.mime.MimeParser.parse(swapped), Integer.MAX_VALUE);
            Sqlite.update(c, "UPDATE contents SET skeleton = ? WHERE id = ?", Packing.pack(split.skeleton()), contentId);
            Sqlite.setUserVersion(c, 10);
        }
        try (var fx = new StoreFixture(dir.resolve("data"), MailboxLimits.DEFAULT.withLinger(java.time.Duration.ZERO, 0));
                Mailbox m = fx.mailboxes.open(aliasId, dek)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!m.indexIdle() && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(m.unindexedCount()).isZero();
            assertThat(m.textCandidates("zanzibar")).as("from the stored texts").contains(java.util.Set.of(contentId));
            assertThat(m.textCandidates("GRÜSSE")).contains(java.util.Set.of());
            assertThat(m.textCandidates("Grüße")).contains(java.util.Set.of(contentId));
            assertThat(m.textCandidates("yyyy")).as("not from the message").contains(java.util.Set.of());
            m.addFlags(m.folder("INBOX").id(), List.of(1L), java.util.EnumSet.of(SystemFlag.DELETED));
            m.expungeDeleted(m.folder("INBOX").id(), java.util.Optional.empty());
            assertThat(m.textCandidates("zanzibar")).contains(java.util.Set.of());
            assertThat(m.textCandidates("köln")).contains(java.util.Set.of());
        }
    }

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append((char) ('a' + r.nextInt(26)));
        return b.toString();
    }
}
