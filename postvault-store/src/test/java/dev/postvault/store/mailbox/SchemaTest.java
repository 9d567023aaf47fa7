package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @Test
    void rebuildingTheIndexReplacesItAndQueuesEveryContentForIndexing(@TempDir Path dir) throws Exception {
        try (Connection c = Sqlite.open(dir.resolve("m.db"), SecretKey32.random())) {
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 5)) m.apply(c);
            Sqlite.setUserVersion(c, 5);
            Sqlite.update(c, "INSERT INTO contents(id, sha256, size, email_id, skeleton, structure, refcount, indexed) VALUES (7, x'01', 3, 'M1', x'00', x'00', 1, 1)");
            Sqlite.update(c, "INSERT INTO fts(rowid, text) VALUES (7, 'dkim-signature: b=AuUoFEfDxTDkHlLX')");
            assertThat(Sqlite.exists(c, "SELECT 1 FROM sqlite_schema WHERE name = 'fts_docsize'")).isTrue();
            assertThat(count(c, "SELECT count(*) FROM fts WHERE fts MATCH 'uoF'")).isEqualTo(1);

            Schema.migrate(c);

            assertThat(Sqlite.userVersion(c)).isEqualTo(Schema.VERSION);
            assertThat(count(c, "SELECT count(*) FROM fts WHERE fts MATCH 'uoF'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM contents WHERE indexed = 0")).isEqualTo(1);
            assertThat(Sqlite.exists(c, "SELECT 1 FROM sqlite_schema WHERE name = 'fts_docsize'")).as("columnsize=0").isFalse();
            assertThat(count(c, "SELECT v FROM fts_config WHERE k = 'pgsz'")).isEqualTo(Schema.FTS_LEAF_BYTES);
            assertThat(count(c, "SELECT v FROM fts_config WHERE k = 'usermerge'")).isEqualTo(2);
            // The new table takes rows and forgets them given the same text.
            Sqlite.update(c, "INSERT INTO fts(rowid, text) VALUES (7, 'subject: hello')");
            assertThat(count(c, "SELECT count(*) FROM fts WHERE fts MATCH 'ell'")).isEqualTo(1);
            Sqlite.update(c, "INSERT INTO fts(fts, rowid, text) VALUES ('delete', 7, 'subject: hello')");
            assertThat(count(c, "SELECT count(*) FROM fts WHERE fts MATCH 'ell'")).isZero();
            Sqlite.update(c, "INSERT INTO fts(fts) VALUES ('integrity-check')");
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
