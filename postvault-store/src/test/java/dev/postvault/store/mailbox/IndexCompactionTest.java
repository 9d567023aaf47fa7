package dev.postvault.store.mailbox;

import static dev.postvault.store.mailbox.SchemaTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ContentOps.mergeIndex: pairs of index segments merge until one is left, and nothing is lost. */
class IndexCompactionTest {
    @Test
    void segmentsFromManySmallTransactionsMergeIntoFewerPagesAndStillFindEveryRow(@TempDir Path dir) throws Exception {
        try (Connection c = Sqlite.open(dir.resolve("m.db"), SecretKey32.random())) {
            Schema.migrate(c);
            int rows = 60;
            for (int i = 1; i <= rows; i++) { // one segment per transaction, as background indexing writes them
                Sqlite.update(c, "INSERT INTO fts(rowid, text) VALUES (?, ?)", i, text(i));
            }
            Sqlite.update(c, "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", 7, text(7));
            long before = count(c, "SELECT count(*) FROM fts_data");

            int steps = 0;
            while (Sqlite.inTransaction(c, () -> ContentOps.mergeIndex(c, 8))) steps++;

            assertThat(steps).as("merging took several bounded steps").isGreaterThan(1);
            assertThat(Sqlite.inTransaction(c, () -> ContentOps.mergeIndex(c, 8))).as("nothing left to merge").isFalse();
            assertThat(count(c, "SELECT count(*) FROM fts_data")).isLessThan(before);
            for (int i = 1; i <= rows; i++) {
                assertThat(matches(c, "r" + i + "x")).as("row %d", i).isEqualTo(i == 7 ? 0 : 1);
            }
            assertThat(matches(c, "shared")).isEqualTo(rows - 1);
            Sqlite.update(c, "INSERT INTO fts(fts) VALUES ('integrity-check')");
        }
    }

    /** Rows holding every trigram of {@code word}, queried as Mailbox.textCandidates does. */
    private static long matches(Connection c, String word) throws java.sql.SQLException {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i + 3 <= word.length(); i++) q.append(q.isEmpty() ? "" : " AND ").append('"').append(word, i, i + 3).append('"');
        return count(c, "SELECT count(*) FROM fts WHERE fts MATCH '" + q + "'");
    }

    /** About 2 KB: words shared by all rows, a marker of its own, and random hex unique to the row. */
    private static String text(int i) {
        var rnd = new java.util.SplittableRandom(i);
        StringBuilder sb = new StringBuilder("subject: shared words and the row r" + i + "x\n");
        while (sb.length() < 2000) sb.append(Long.toHexString(rnd.nextLong())).append(' ');
        return sb.toString();
    }
}
