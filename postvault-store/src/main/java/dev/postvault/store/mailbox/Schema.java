package dev.postvault.store.mailbox;

import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Mailbox schema and its ordered migrations, tracked by {@code PRAGMA user_version} and run on open
 * inside one transaction each (ARCHITECTURE.md §3). Migration N brings a file from version N-1 to N.
 */
final class Schema {
    interface Migration {
        void apply(Connection c) throws SQLException;
    }

    static final List<Migration> MIGRATIONS = List.of(Schema::v1, Schema::v2, Schema::v3, Schema::v4, Schema::v5, Schema::v6, Schema::v7, Schema::v8, Schema::v9, Schema::v10, Schema::v11);

    static final int VERSION = MIGRATIONS.size();

    private Schema() {}

    static void migrate(Connection c) {
        Sqlite.inTransaction(c, () -> {
            int v = Sqlite.userVersion(c);
            if (v > VERSION) {
                throw new StoreException(StoreException.Kind.INVALID, "mailbox schema " + v + " is newer than this server (" + VERSION + ")");
            }
            for (int i = v; i < VERSION; i++) MIGRATIONS.get(i).apply(c);
            if (v != VERSION) Sqlite.setUserVersion(c, VERSION);
            return null;
        });
    }

    /**
     * v2: subscriptions become names of their own (RFC 9051 §6.3.7 allows subscribing to names that do
     * not exist), and the bytes used by all messages are counted in {@code counters} so a quota check
     * does not sum the whole mailbox.
     */
    private static void v2(Connection c) throws SQLException {
        Sqlite.exec(c, "CREATE TABLE subscriptions(name TEXT PRIMARY KEY) WITHOUT ROWID");
        Sqlite.exec(c, "INSERT INTO subscriptions(name) SELECT name FROM folders WHERE subscribed != 0");
        Sqlite.exec(c, "ALTER TABLE folders DROP COLUMN subscribed");
        Sqlite.exec(c, "INSERT INTO counters(name, value) SELECT 'used_bytes', coalesce(sum(size), 0) FROM messages");
    }

    /** v3: IMAP4rev1 \Recent (RFC 3501 §2.3.2): from this UID on, no session has been told of a message. */
    private static void v3(Connection c) throws SQLException {
        Sqlite.exec(c, "ALTER TABLE folders ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 1");
    }

    /**
     * v4: full-text indexing leaves the delivery path. A content is stored with {@code indexed = 0}
     * and a background pass indexes it; rows written before v4 were indexed on insert.
     */
    private static void v4(Connection c) throws SQLException {
        Sqlite.exec(c, "ALTER TABLE contents ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1");
        Sqlite.exec(c, "CREATE INDEX contents_unindexed ON contents(id) WHERE indexed = 0");
    }

    /** v5: deleting a folder that has children leaves a \\Noselect name behind (RFC 9051 §6.3.5). */
    private static void v5(Connection c) throws SQLException {
        Sqlite.exec(c, "ALTER TABLE folders ADD COLUMN noselect INTEGER NOT NULL DEFAULT 0");
    }

    /**
     * v6: the full-text index is built again. It no longer holds the values of signature and key
     * tags (DKIM b=, bh=, Autocrypt keydata=; {@code Headers.searchText}), which were most of a signed
     * message's index entry. A contentless index forgets a row only when given the exact text it was
     * added with, so the old entries cannot be edited: the table is replaced and every content goes
     * back to the background indexer (searches scan unindexed contents meanwhile). The new table keeps
     * no per-row token counts (columnsize=0; only ranking reads them), writes leaves that fit in
     * one page of the encrypted file (the default 4,050-byte leaf exceeds the 4,029 bytes a 4 KB page
     * with the cipher's 32 reserved bytes holds in place, so every leaf took an overflow page), and
     * lets the background pass merge segments two at a time (usermerge; {@code ContentOps.mergeIndex}).
     */
    private static void v6(Connection c) throws SQLException {
        rebuildIndex(c);
    }

    /**
     * v7: the full-text index is built again, now with the header of every body part and the
     * attachment file names (SEARCH TEXT covers "MIME header fields", RFC 9051 §6.4.4). As in v6,
     * the old rows cannot be removed with a text they were not added with. A content whose text
     * exceeds {@code maxIndexedChars} is marked as partly indexed, so searches never miss its tail.
     */
    private static void v7(Connection c) throws SQLException {
        rebuildIndex(c);
        // contents.indexed = 2: text longer than maxIndexedChars, indexed up to it. Searches check
        // these exactly whatever the index says, found through this index as unindexed ones are.
        Sqlite.exec(c, "CREATE INDEX contents_partly_indexed ON contents(id) WHERE indexed = 2");
    }

    /**
     * v8: what clients ask for in bulk is kept apart from the message bodies (issue 12).
     * <ul>
     *   <li>{@code summaries}: per content, the top-level header as it arrived (through the blank
     *       line) and the parsed MIME structure, packed; the envelope alone, stored as is (it is
     *       small). In {@code message_keys}, narrow rows of plain columns: the keys SORT, THREAD and
     *       SENT* searches compare ({@code SortKeys}), the text SUBJECT, FROM, TO, CC and BCC
     *       searches compare ({@code SearchFields}), and what THREAD links by ({@code ThreadKeys}).
     *       Header fetches,
     *       header SEARCH keys, SORT and THREAD read these small rows instead of rebuilding the
     *       message (SORT and address keys decode only the envelope), and reading them
     *       no longer walks past a skeleton's overflow pages, as a column after it in
     *       {@code contents} did. {@code contents.structure} is written empty from now on; old rows
     *       keep theirs, since clearing them would rewrite every message in the file.</li>
     *   <li>{@code texts}: per indexed content, the decoded header text and body text that SEARCH
     *       TEXT, BODY and REGEX compare against, packed; written by the background indexer with the
     *       index entry. A trigram candidate is then checked against these rows rather than by
     *       decoding the message again. The index is rebuilt so every content gets its row.</li>
     * </ul>
     */
    private static void v8(Connection c) throws SQLException {
        Sqlite.exec(c, """
                CREATE TABLE summaries(
                  content_id INTEGER PRIMARY KEY,
                  header BLOB NOT NULL,
                  envelope BLOB NOT NULL,
                  structure BLOB NOT NULL)""");
        // Narrow rows, apart from the blobs above, so that reading them for a whole folder touches a
        // page per dozen messages rather than per two. The sort keys (SortKeys): sent_at in epoch
        // seconds and sent_day in epoch days, NULL when the Date: header cannot be read; the strings
        // case-mapped as SORT compares them. The search text of the fields clients search most
        // (SearchFields), NULL where the message lacks the field. What THREAD=REFERENCES links by
        // (ThreadKeys), the references joined by NUL.
        Sqlite.exec(c, """
                CREATE TABLE message_keys(
                  content_id INTEGER PRIMARY KEY,
                  sent_at INTEGER,
                  sent_day INTEGER,
                  subject_key TEXT NOT NULL,
                  from_key TEXT NOT NULL,
                  to_key TEXT NOT NULL,
                  cc_key TEXT NOT NULL,
                  display_from_key TEXT NOT NULL,
                  display_to_key TEXT NOT NULL,
                  subject_text TEXT,
                  from_text TEXT,
                  to_text TEXT,
                  cc_text TEXT,
                  bcc_text TEXT,
                  message_id_text TEXT,
                  message_id TEXT NOT NULL,
                  thread_refs TEXT NOT NULL,
                  reply INTEGER NOT NULL)""");
        Sqlite.exec(c, "CREATE TABLE texts(content_id INTEGER PRIMARY KEY, header_text BLOB NOT NULL, body_text BLOB NOT NULL)");
        try (var select = c.prepareStatement("SELECT id, skeleton, structure FROM contents");
                var insert = c.prepareStatement(SummaryOps.INSERT_SUMMARY);
                var insertKeys = c.prepareStatement(SummaryOps.INSERT_KEYS);
                var rs = select.executeQuery()) {
            while (rs.next()) {
                byte[] packedStructure = rs.getBytes(3);
                var structure = dev.postvault.mime.MessageStructureCodec.decode(Packing.unpack(packedStructure));
                int headerEnd = structure.root().headerEnd();
                long id = rs.getLong(1);
                byte[] header = MessageContent.prefix(Packing.unpack(rs.getBytes(2)), headerEnd)
                        .orElseGet(() -> java.util.Arrays.copyOf(load(c, id), headerEnd));
                SummaryOps.insert(insert, insertKeys, id, header, structure.envelope(), packedStructure);
            }
        }
        rebuildIndex(c);
    }

    /**
     * v9: the full-text index holds windows of a message's text rather than the whole of it
     * ({@code ContentOps.IndexText#chunks}), under row ids that carry the window number beside the
     * content id, so that a trigram query narrows to the windows that hold every trigram of the
     * needle. On the issue-12 corpus a rare word's candidates were 28 messages, nearly all logs of a
     * megabyte or more, each inflated and scanned in full for every search. The index is rebuilt
     * by the background indexer, with the new default limit of indexed text (it now covers all the
     * text SEARCH reads, so few messages stay partly indexed).
     */
    private static void v9(Connection c) throws SQLException {
        rebuildIndex(c);
    }

    /**
     * v10: content ids are never handed out twice. A rowid table gives the largest id plus one, so
     * deleting the newest content made its id come back for the next one; a content is immutable
     * under its id from now on, which lets an open mailbox keep what it read of a content in memory
     * ({@code KeyCache}) without ever checking it again. {@code counters.content_seq} holds the
     * last id given.
     */
    private static void v10(Connection c) throws SQLException {
        Sqlite.exec(c, "INSERT INTO counters(name, value) VALUES ('content_seq', (SELECT coalesce(max(id), 0) FROM contents))");
    }

    /**
     * v11: an index entry is the content's stored search texts ({@code texts}: lowered, UTF-8)
     * rather than the text as written with the envelope's names and addresses, and its windows are
     * counted in octets ({@code ContentOps.indexText}). A contentless FTS5 row is removed only with
     * the text it was added with: expunging had to parse and decode the message again for it, a
     * tenth of the server's CPU under imaptest's stress run; it now reads the stored row. The
     * envelope lines never changed a result (a candidate is checked against the stored texts), and
     * the UTF-8 goes into FTS5 without a conversion. The index is rebuilt by the background indexer
     * from the stored texts, without parsing a message.
     */
    private static void v11(Connection c) throws SQLException {
        rebuildIndex(c);
    }

    private static byte[] load(Connection c, long contentId) {
        try {
            return ContentOps.load(c, contentId);
        } catch (SQLException e) {
            throw Sqlite.translate(e);
        }
    }

    /** Replaces the full-text index with an empty one and queues every content for the background indexer. */
    private static void rebuildIndex(Connection c) throws SQLException {
        Sqlite.exec(c, "DROP TABLE fts");
        Sqlite.exec(c, "CREATE VIRTUAL TABLE fts USING fts5(text, content='', detail=none, columnsize=0, tokenize='trigram')");
        Sqlite.exec(c, "INSERT INTO fts(fts, rank) VALUES ('pgsz', " + FTS_LEAF_BYTES + ")");
        Sqlite.exec(c, "INSERT INTO fts(fts, rank) VALUES ('usermerge', 2)");
        Sqlite.exec(c, "UPDATE contents SET indexed = 0 WHERE indexed != 0");
    }

    /** Target size of a full-text index leaf; see {@link #v6}. */
    static final int FTS_LEAF_BYTES = 3_900;

    private static void v1(Connection c) throws SQLException {
        Sqlite.exec(c, "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID");
        Sqlite.exec(c, "CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
        Sqlite.exec(c, "INSERT INTO counters(name, value) VALUES ('modseq', 1)");
        Sqlite.exec(c, """
                CREATE TABLE folders(
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL UNIQUE,
                  special_use TEXT,
                  subscribed INTEGER NOT NULL DEFAULT 1,
                  uidvalidity INTEGER NOT NULL,
                  uidnext INTEGER NOT NULL DEFAULT 1,
                  highest_modseq INTEGER NOT NULL DEFAULT 1,
                  object_id TEXT NOT NULL UNIQUE,
                  created_at TEXT NOT NULL)""");
        // One row per distinct raw message; copies in several folders share it (refcount).
        // skeleton and structure are stored through Packing (deflate when it helps).
        Sqlite.exec(c, """
                CREATE TABLE contents(
                  id INTEGER PRIMARY KEY,
                  sha256 BLOB NOT NULL UNIQUE,
                  size INTEGER NOT NULL,
                  email_id TEXT NOT NULL UNIQUE,
                  skeleton BLOB NOT NULL,
                  structure BLOB NOT NULL,
                  refcount INTEGER NOT NULL)""");
        // Attachment bodies, de-duplicated by the SHA-256 of what is stored (decoded when exact).
        // A rowid table: WITHOUT ROWID keeps whole rows in the key b-tree, which suits small rows
        // only; attachment bodies go to overflow pages here instead.
        Sqlite.exec(c, """
                CREATE TABLE blobs(
                  id INTEGER PRIMARY KEY,
                  sha256 BLOB NOT NULL UNIQUE,
                  size INTEGER NOT NULL,
                  data BLOB NOT NULL,
                  refcount INTEGER NOT NULL)""");
        Sqlite.exec(c, """
                CREATE TABLE messages(
                  id INTEGER PRIMARY KEY,
                  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
                  uid INTEGER NOT NULL,
                  modseq INTEGER NOT NULL,
                  flags INTEGER NOT NULL DEFAULT 0,
                  keywords TEXT NOT NULL DEFAULT '',
                  internal_date TEXT NOT NULL,
                  save_date TEXT NOT NULL,
                  size INTEGER NOT NULL,
                  content_id INTEGER NOT NULL REFERENCES contents(id),
                  thread_id TEXT,
                  UNIQUE(folder_id, uid))""");
        Sqlite.exec(c, "CREATE INDEX messages_modseq ON messages(folder_id, modseq)");
        Sqlite.exec(c, "CREATE INDEX messages_content ON messages(content_id)");
        // kind: 1 = added, 2 = flags changed, 3 = expunged (QRESYNC VANISHED is served from here).
        Sqlite.exec(c, """
                CREATE TABLE journal(
                  id INTEGER PRIMARY KEY,
                  modseq INTEGER NOT NULL,
                  folder_id INTEGER NOT NULL,
                  uid INTEGER NOT NULL,
                  kind INTEGER NOT NULL)""");
        Sqlite.exec(c, "CREATE INDEX journal_folder_modseq ON journal(folder_id, modseq)");
        // Contentless trigram index (rowid = contents.id) over decoded header values (subject, names and
        // addresses) and decoded text parts. detail=none keeps no positions: a substring query becomes
        // an AND of its trigrams, which narrows SEARCH candidates that are then checked exactly. It is
        // about 30 times smaller than detail=full and twice as fast to fill (docs/benchmarks.md).
        Sqlite.exec(c, "CREATE VIRTUAL TABLE fts USING fts5(text, content='', detail=none, tokenize='trigram')");
        Sqlite.exec(c, "CREATE TABLE spool_receipts(spool_id TEXT PRIMARY KEY, delivered_at TEXT NOT NULL) WITHOUT ROWID");
    }
}
