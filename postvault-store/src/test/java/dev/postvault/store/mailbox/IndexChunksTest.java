package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full-text index in windows (Schema v9): what a window holds, and searches across them. */
class IndexChunksTest {
    private static final int S = ContentOps.CHUNK_CHARS;
    private static final int O = ContentOps.CHUNK_OVERLAP;

    @Test
    void everyStringUpToTheOverlapLiesWhollyInsideSomeWindow() {
        String text = randomText(new Random(7), 3 * S + 1000);
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(text, true).chunks(42);
        assertThat(chunks).hasSize(4);
        for (int k = 0; k < chunks.size(); k++) {
            assertThat(chunks.get(k).rowid()).isEqualTo(k == 0 ? 42 : ContentOps.CHUNK_ROWS + ((42L << ContentOps.CHUNK_BITS) | k));
            assertThat(ContentOps.contentOfRow(chunks.get(k).rowid())).isEqualTo(42);
            assertThat(chunks.get(k).text()).isEqualTo(text.substring(k * S, Math.min(text.length(), (k + 1) * S + O)));
        }
        // Each window reaches O characters into the next: a string of O + 1 characters at any
        // position, window boundaries included, is inside one of them.
        for (int p = 0; p + O + 1 <= text.length(); p += 97) {
            String s = text.substring(p, p + O + 1);
            assertThat(chunks).as("at %d", p).anyMatch(c -> c.text().contains(s));
        }
        for (int p = S - O - 1; p < S + 2; p++) {
            String s = text.substring(p, p + O + 1);
            assertThat(chunks).as("at %d", p).anyMatch(c -> c.text().contains(s));
        }
    }

    @Test
    void shortAndEmptyTextsAreOneWindowAndNoWindowSplitsASurrogatePair() {
        assertThat(new ContentOps.IndexText("", true).chunks(1)).extracting(ContentOps.Chunk::text).containsExactly("");
        assertThat(new ContentOps.IndexText("hello", true).chunks(1)).extracting(ContentOps.Chunk::text).containsExactly("hello");
        assertThat(new ContentOps.IndexText("x".repeat(S), true).chunks(1)).hasSize(1);
        // An emoji (two UTF-16 units) straddling the first boundary and the end of the first window.
        StringBuilder b = new StringBuilder("a".repeat(S - 1)).append("\uD83D\uDE00").append("b".repeat(O - 2)).append("\uD83D\uDE00")
                .append("c".repeat(S));
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(b.toString(), true).chunks(1);
        for (ContentOps.Chunk c : chunks) {
            String t = c.text();
            assertThat(Character.isLowSurrogate(t.charAt(0))).as("window starts inside a pair").isFalse();
            assertThat(Character.isHighSurrogate(t.charAt(t.length() - 1))).as("window ends inside a pair").isFalse();
        }
        assertThat(chunks.get(1).text()).startsWith("\uD83D\uDE00b");
    }

    @Test
    void aTextLongerThanAllWindowsPutsItsRestInTheLastOne() {
        String text = "y".repeat(ContentOps.MAX_CHUNKS * S + 5000);
        List<ContentOps.Chunk> chunks = new ContentOps.IndexText(text, true).chunks(3);
        assertThat(chunks).hasSize(ContentOps.MAX_CHUNKS);
        assertThat(chunks.getLast().text()).hasSize(S + 5000);
        assertThat(ContentOps.contentOfRow(chunks.getLast().rowid())).isEqualTo(3);
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

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append((char) ('a' + r.nextInt(26)));
        return b.toString();
    }
}
