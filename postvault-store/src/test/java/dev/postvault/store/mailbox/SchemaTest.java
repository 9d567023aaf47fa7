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
            insertContent(c, 7, MESSAGE);
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

    private static final byte[] MESSAGE = ("From: Ann <ann@example.org>\r\nSubject: hello\r\nMessage-ID: <m1@example.org>\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nthe body\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n--b--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A content row as versions 1 to 7 wrote it: the structure in contents, an attachment as a blob. */
    private static void insertContent(Connection c, long id, byte[] raw) throws SQLException {
        var structure = dev.postvault.mime.MimeParser.parse(raw);
        var split = MessageContent.split(raw, structure, 16);
        for (MessageContent.Blob b : split.blobs()) {
            Sqlite.update(c, "INSERT INTO blobs(sha256, size, data, refcount) VALUES (?, ?, ?, 1)", b.sha256(), (long) b.data().length, b.data());
        }
        Sqlite.update(c, "INSERT INTO contents(id, sha256, size, email_id, skeleton, structure, refcount, indexed) VALUES (?, ?, ?, 'M1', ?, ?, 1, 1)",
                id, MessageContent.sha256(raw, 0, raw.length), (long) raw.length, Packing.pack(split.skeleton()),
                Packing.pack(dev.postvault.mime.MessageStructureCodec.encode(structure)));
    }

    @Test
    void version8KeepsEachHeaderAndStructureApartFromTheMessage(@TempDir Path dir) throws Exception {
        try (Connection c = Sqlite.open(dir.resolve("m.db"), SecretKey32.random())) {
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 7)) m.apply(c);
            Sqlite.setUserVersion(c, 7);
            insertContent(c, 7, MESSAGE);
            assertThat(count(c, "SELECT count(*) FROM blobs")).as("the attachment is a blob").isEqualTo(1);

            Schema.migrate(c);

            try (var ps = c.prepareStatement(SummaryOps.HEADER)) {
                byte[] header = SummaryOps.header(ps, 7, new Packing.Unpacker());
                String text = new String(header, java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(text).startsWith("From: Ann").endsWith("boundary=b\r\n\r\n");
                assertThat(header).isEqualTo(java.util.Arrays.copyOf(MESSAGE, header.length));
            }
            assertThat(SummaryOps.structure(c, 7).envelope().decodedSubject()).contains("hello");
            try (var ps = c.prepareStatement(SummaryOps.ENVELOPE)) {
                assertThat(SummaryOps.envelope(ps, 7, new Packing.Unpacker())).isEqualTo(SummaryOps.structure(c, 7).envelope());
            }
            assertThat(count(c, "SELECT count(*) FROM message_keys WHERE subject_key = 'HELLO' AND from_key = 'ANN'")).as("sort keys").isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM message_keys WHERE subject_text = 'hello' AND from_text IS NOT NULL AND cc_text IS NULL")).as("search texts").isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM message_keys WHERE message_id = 'm1@example.org' AND thread_refs = '' AND reply = 0")).as("thread keys").isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM contents WHERE indexed = 0")).as("indexed again, with texts").isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM texts")).isZero();
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
