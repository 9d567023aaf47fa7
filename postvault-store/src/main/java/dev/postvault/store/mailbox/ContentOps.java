package dev.postvault.store.mailbox;

import dev.postvault.crypto.Bytes;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageStructureCodec;
import dev.postvault.mime.MimeParser;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Message contents (SQL behind {@link Mailbox}): one row per distinct raw message, its blobs, its
 * index entry. Copies share a content by reference count.
 */
final class ContentOps {
    private ContentOps() {}

    /** A message parsed and split outside any transaction (CPU work, no lock held). */
    record Prepared(byte[] raw, byte[] sha256, MessageContent.Split split, byte[] structure, dev.postvault.mime.Envelope envelope, int headerEnd) {}

    static Prepared prepare(byte[] raw, MailboxLimits limits) {
        if (raw.length > limits.maxMessageBytes()) throw new StoreException(StoreException.Kind.TOO_BIG, "message too big");
        MessageStructure s = MimeParser.parse(raw);
        var split = MessageContent.split(raw, s, limits.blobThresholdBytes());
        return new Prepared(raw, MessageContent.sha256(raw, 0, raw.length), split, MessageStructureCodec.encode(s), s.envelope(), s.root().headerEnd());
    }

    /**
     * The index entry of a content (Schema v11): its search texts as {@code texts} stores them
     * ({@link SearchTexts}: the decoded header text of the message and its parts, then the decoded
     * body text, both lowered and in UTF-8), joined by a line break and cut at
     * {@code maxIndexedBytes} on a character boundary. The index only proposes candidates that SEARCH
     * then checks against those same texts, so it needs nothing they lack. Removing the entry derives
     * it again from the stored row, without the message; a change to what this returns needs a
     * schema migration that rebuilds the index.
     */
    static IndexText indexText(SearchTexts texts, MailboxLimits limits) {
        byte[] header = texts.header();
        byte[] body = texts.body();
        long whole = (long) header.length + 1 + body.length;
        int n = (int) Math.min(whole, limits.maxIndexedBytes());
        byte[] text = new byte[n];
        System.arraycopy(header, 0, text, 0, Math.min(header.length, n));
        if (header.length < n) {
            text[header.length] = '\n';
            System.arraycopy(body, 0, text, header.length + 1, n - header.length - 1);
        }
        if (n == whole) return new IndexText(text, true);
        // Cut before the character the limit falls inside: back over its continuation octets, the
        // first of them being the octet just past the limit.
        int next = n < header.length ? header[n] : n == header.length ? '\n' : body[n - header.length - 1];
        int cut = n;
        if ((next & 0xC0) == 0x80) {
            do cut--; while (cut > 0 && (text[cut] & 0xC0) == 0x80);
        }
        return new IndexText(java.util.Arrays.copyOf(text, cut), false);
    }

    /** {@code i}, or the start of the UTF-8 character {@code i} falls inside. */
    static int charStart(byte[] utf8, int i) {
        while (i > 0 && i < utf8.length && (utf8[i] & 0xC0) == 0x80) i--;
        return i;
    }

    /**
     * A content's index entry, UTF-8; {@code complete} is false when {@code maxIndexedBytes} cut the
     * text short. The limit is part of the entry: the same limit must derive it again for removal.
     */
    record IndexText(byte[] text, boolean complete) {
        /**
         * The index rows of this text (Schema v9, in bytes since v11): windows of {@link #CHUNK_BYTES}
         * octets, each reaching {@link #CHUNK_OVERLAP} octets into the next, under the row ids of
         * {@link #rowid}. A trigram query then finds the windows holding every trigram of a needle
         * rather than the whole messages: a log of a megabyte holds nearly every trigram of a rare
         * word somewhere, but seldom within one window. Every occurrence of a string up to
         * {@link #CHUNK_OVERLAP} + 1 octets long lies inside one window (a window ends on a
         * character boundary, and so does the occurrence); the last window takes the rest of a text
         * too long for {@code 1 << CHUNK_BITS} of them. No window starts or ends inside a character.
         * Part of the index format: removing an entry derives the same rows again.
         */
        List<Chunk> chunks(long contentId) {
            int n = text.length;
            List<Chunk> out = new java.util.ArrayList<>(n / CHUNK_BYTES + 1);
            for (int k = 0; ; k++) {
                int start = charStart(text, k * CHUNK_BYTES);
                boolean last = k == MAX_CHUNKS - 1 || (k + 1) * CHUNK_BYTES >= n;
                int end = last ? n : charStart(text, Math.min(n, (k + 1) * CHUNK_BYTES + CHUNK_OVERLAP));
                out.add(new Chunk(rowid(contentId, k), start == 0 && end == n ? text : java.util.Arrays.copyOfRange(text, start, end)));
                if (last) return out;
            }
        }
    }

    /** One row of the full-text index: its row id and text (UTF-8). */
    record Chunk(long rowid, byte[] text) {}

    static final int CHUNK_BYTES = 16_384;
    static final int CHUNK_OVERLAP = 512;
    static final int CHUNK_BITS = 10;
    static final int MAX_CHUNKS = 1 << CHUNK_BITS;

    /**
     * The row id of a content's window {@code k}: the content id for the first (most messages have
     * only that one), {@code CHUNK_ROWS + (contentId << CHUNK_BITS | k)} for the others. FTS5 stores
     * each trigram's rows as deltas between row ids; keeping the first windows at the content ids
     * keeps those deltas as small as they were before windows (with every id spaced out, the file of
     * MailboxStoreTest's 100 small messages grew from 1,298,432 to 1,327,104 bytes).
     */
    static long rowid(long contentId, int k) {
        return k == 0 ? contentId : CHUNK_ROWS + ((contentId << CHUNK_BITS) | k);
    }

    /**
     * Runs {@code sql} with each chunk's row id and text: adds the index rows, or removes them. The
     * text goes in as the UTF-8 it is (a blob cast to text in the statement), with no conversion on
     * the way.
     */
    private static void eachChunk(Connection c, String sql, List<Chunk> chunks) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (Chunk chunk : chunks) {
                ps.setLong(1, chunk.rowid());
                ps.setBytes(2, chunk.text());
                ps.executeUpdate();
            }
        }
    }

    /** The content an index row belongs to. */
    static long contentOfRow(long rowid) {
        return rowid < CHUNK_ROWS ? rowid : (rowid - CHUNK_ROWS) >>> CHUNK_BITS;
    }

    /** Where the row ids of windows after the first begin: above any content id (below 2^42). */
    static final long CHUNK_ROWS = 1L << 52;

    /**
     * What the indexer writes for one content: the index entry, and the texts SEARCH compares
     * against, kept in {@code texts} (Schema v8). The message's text is extracted once for both.
     */
    record Indexed(IndexText entry, SearchTexts texts) {
        static Indexed of(byte[] raw, MailboxLimits limits) {
            return of(SearchTexts.of(raw, MimeParser.parse(raw)), limits);
        }

        /** From texts already stored (a rebuild of the index reads them instead of the message). */
        static Indexed of(SearchTexts texts, MailboxLimits limits) {
            return new Indexed(indexText(texts, limits), texts);
        }
    }

    /** The stored search texts of a content, unpacked; empty when it has none (not indexed yet). */
    static java.util.Optional<SearchTexts> storedTexts(Connection c, long contentId) throws SQLException {
        try (var ps = c.prepareStatement(SummaryOps.TEXTS)) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) return java.util.Optional.empty();
                return java.util.Optional.of(new SearchTexts(Packing.unpack(rs.getBytes(1)), Packing.unpack(rs.getBytes(2))));
            }
        }
    }

    /** {@code contents.indexed}: 0 not yet, 1 all its text, 2 its text cut at the limit (always searched exactly). */
    static final int INDEXED = 1;
    static final int PARTLY_INDEXED = 2;

    /** The content id for these bytes: an existing one gains a reference, else a new row is written. */
    static long insert(Connection c, Prepared p) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE contents SET refcount = refcount + 1 WHERE sha256 = ? RETURNING id")) {
            ps.setBytes(1, p.sha256());
            try (var rs = ps.executeQuery()) {
                if (rs.next()) return rs.getLong(1);
            }
        }
        try (var ps = c.prepareStatement("""
                INSERT INTO blobs(sha256, size, data, refcount) VALUES (?, ?, ?, 1)
                ON CONFLICT(sha256) DO UPDATE SET refcount = refcount + 1""")) {
            for (MessageContent.Blob b : p.split().blobs()) {
                ps.setBytes(1, b.sha256());
                ps.setLong(2, b.data().length);
                ps.setBytes(3, b.data());
                ps.executeUpdate();
            }
        }
        long id;
        // Schema v10: a new id every time, never one a deleted content had.
        try (var ps = c.prepareStatement("UPDATE counters SET value = value + 1 WHERE name = 'content_seq' RETURNING value");
                var rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        // contents.structure stays empty since Schema v8: summaries holds the structure.
        Sqlite.update(c, "INSERT INTO contents(id, sha256, size, email_id, skeleton, structure, refcount, indexed) VALUES (?, ?, ?, ?, ?, x'', 1, 0)",
                id, p.sha256(), (long) p.raw().length, "M" + Bytes.randomId(), Packing.pack(p.split().skeleton()));
        try (var summary = c.prepareStatement(SummaryOps.INSERT_SUMMARY); var keys = c.prepareStatement(SummaryOps.INSERT_KEYS)) {
            SummaryOps.insert(summary, keys, id, java.util.Arrays.copyOf(p.raw(), Math.min(p.headerEnd(), p.raw().length)), p.envelope(),
                    Packing.pack(p.structure()));
        }
        return id; // indexed later by Mailbox.indexPending, off the delivery path
    }

    /**
     * Adds a content's text to the index, unless it went away or was indexed meanwhile. The hash
     * guards against a deleted content's id having been reused by a new message in between.
     */
    static boolean index(Connection c, long contentId, byte[] sha256, Indexed indexed) throws SQLException {
        IndexText text = indexed.entry();
        if (Sqlite.update(c, "UPDATE contents SET indexed = ? WHERE id = ? AND sha256 = ? AND indexed = 0",
                text.complete() ? INDEXED : PARTLY_INDEXED, contentId, sha256) == 0) {
            return false;
        }
        // Contentless FTS5: the index only. Removing a row later needs the same text again ('delete').
        eachChunk(c, "INSERT INTO fts(rowid, text) VALUES (?, CAST(? AS TEXT))", text.chunks(contentId));
        Sqlite.update(c, "INSERT OR REPLACE INTO texts(content_id, header_text, body_text) VALUES (?, ?, ?)",
                contentId, Packing.pack(indexed.texts().header()), Packing.pack(indexed.texts().body()));
        return true;
    }



    /**
     * Merges full-text index segments until about {@code pages} leaves are written; whether anything
     * was merged. Every indexing transaction adds a segment that repeats each trigram it holds, and
     * FTS5's own automerge leaves up to four segments per level: merged in pairs (usermerge=2, set
     * by {@code Schema.v6}) the index of benchmark 4 is about 38% smaller (docs/benchmarks.md), at
     * about twice automerge's rewriting. Merging also drops the entries of deleted rows.
     */
    static boolean mergeIndex(Connection c, int pages) throws SQLException {
        long before = totalChanges(c);
        Sqlite.exec(c, "INSERT INTO fts(fts, rank) VALUES ('merge', " + pages + ")");
        return totalChanges(c) - before >= 2; // FTS5: a difference below 2 means there was nothing to merge
    }

    private static long totalChanges(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT total_changes()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void addReference(Connection c, long contentId) throws SQLException {
        Sqlite.update(c, "UPDATE contents SET refcount = refcount + 1 WHERE id = ?", contentId);
    }

    /** A content's skeleton (unpacked) and the size of the message it rebuilds. */
    record Skeleton(byte[] bytes, long size) {}

    static Skeleton skeleton(Connection c, long contentId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT skeleton, size FROM contents WHERE id = ?")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound("no such message");
                return new Skeleton(Packing.unpack(rs.getBytes(1)), rs.getLong(2));
            }
        }
    }

    /** One stored blob; a missing one means the file is damaged (or the message was expunged meanwhile). */
    static byte[] blob(Connection c, byte[] sha256) throws SQLException {
        try (var ps = c.prepareStatement("SELECT data FROM blobs WHERE sha256 = ?")) {
            ps.setBytes(1, sha256);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw new StoreException(StoreException.Kind.CORRUPT, "attachment missing");
                return rs.getBytes(1);
            }
        }
    }

    /** The message exactly as it arrived: skeleton plus blobs, size checked. */
    static byte[] load(Connection c, long contentId) throws SQLException {
        Skeleton sk = skeleton(c, contentId);
        var out = new Exact((int) Math.min(sk.size(), Integer.MAX_VALUE - 8));
        try {
            MessageContent.write(sk.bytes(), sha -> {
                try {
                    return blob(c, sha);
                } catch (SQLException e) {
                    throw new StoreException(StoreException.Kind.TEMPORARY, "reading an attachment failed", e);
                }
            }, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (out.size() != sk.size()) throw new StoreException(StoreException.Kind.CORRUPT, "message size mismatch");
        return out.bytes();
    }

    /**
     * A message rebuilt into an array of its known size, handed over without the copy that
     * ByteArrayOutputStream.toByteArray makes; more than the size announced is damage, and
     * {@link #load} refuses less before taking the array.
     */
    private static final class Exact extends java.io.OutputStream {
        private final byte[] bytes;
        private int size;

        Exact(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            if (size == bytes.length) throw new StoreException(StoreException.Kind.CORRUPT, "message size mismatch");
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > bytes.length - size) throw new StoreException(StoreException.Kind.CORRUPT, "message size mismatch");
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        int size() {
            return size;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    /**
     * Drops one reference; the last one removes the content with its index entry and releases its
     * blobs. The contentless FTS5 index forgets a row only when given the same text again
     * ('delete' command), so the text is derived once more from the stored message.
     */
    static void release(Connection c, long contentId, MailboxLimits limits) throws SQLException {
        long refs;
        try (var ps = c.prepareStatement("UPDATE contents SET refcount = refcount - 1 WHERE id = ? RETURNING refcount")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) return;
                refs = rs.getLong(1);
            }
        }
        if (refs > 0) return;
        byte[] skeleton;
        boolean indexed;
        try (var ps = c.prepareStatement("SELECT skeleton, indexed FROM contents WHERE id = ?")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                skeleton = Packing.unpack(rs.getBytes(1));
                indexed = rs.getInt(2) != 0;
            }
        }
        if (indexed) {
            // The texts row is written with the index entry, in one transaction, so it is there; were
            // it not, the rows would stay behind, matching an id no message has again (v10).
            var texts = storedTexts(c, contentId);
            if (texts.isPresent()) {
                eachChunk(c, "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, CAST(? AS TEXT))", indexText(texts.get(), limits).chunks(contentId));
            }
        }
        Sqlite.update(c, "DELETE FROM contents WHERE id = ?", contentId);
        Sqlite.update(c, "DELETE FROM summaries WHERE content_id = ?", contentId);
        Sqlite.update(c, "DELETE FROM message_keys WHERE content_id = ?", contentId);
        Sqlite.update(c, "DELETE FROM texts WHERE content_id = ?", contentId);
        for (byte[] sha : MessageContent.blobRefs(skeleton)) {
            Sqlite.update(c, "UPDATE blobs SET refcount = refcount - 1 WHERE sha256 = ?", (Object) sha);
        }
        Sqlite.update(c, "DELETE FROM blobs WHERE refcount <= 0");
    }
}
