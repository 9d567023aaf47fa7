package dev.postvault.store.mailbox;

import dev.postvault.crypto.Bytes;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.EnvelopeAddress;
import dev.postvault.mime.Headers;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageStructureCodec;
import dev.postvault.mime.MessageText;
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
     * The text the full-text index holds for a message: every header field of the message and of its
     * parts decoded, with attachment names, without the values of signature and key tags
     * ({@code Headers.searchText}, what SEARCH TEXT reads), the parsed addresses (so "user@domain" is
     * found however the header wrote it) and the decoded body text. Derived, so it can be derived
     * again to remove the entry; a change to what this returns therefore needs a schema migration
     * that rebuilds the index, as {@code Schema.v6} and v7 do.
     */
    static IndexText indexText(byte[] raw, MailboxLimits limits) {
        Extracted e = Extracted.of(raw);
        return indexText(e.headers(), e.envelope(), e.body(), limits);
    }

    /** A message's text as SEARCH reads it (as written, not folded), extracted once for the index and the stored texts. */
    private record Extracted(String headers, Envelope envelope, String body) {
        static Extracted of(byte[] raw) {
            MessageStructure s = MimeParser.parse(raw);
            return new Extracted(Headers.searchText(raw, s), s.envelope(), MessageText.body(raw, s, SearchTexts.MAX_BODY_CHARS));
        }
    }

    /**
     * The index entry from the texts SEARCH compares (as written, not folded) and the parsed
     * addresses: header text, then the subject, names and addresses of the envelope, then the body
     * text, cut at {@code maxIndexedChars} (never inside a surrogate pair).
     */
    private static IndexText indexText(String headers, Envelope e, String body, MailboxLimits limits) {
        StringBuilder text = new StringBuilder(headers.length() + body.length() + 256).append(headers);
        e.decodedSubject().ifPresent(v -> text.append(v).append('\n'));
        for (List<EnvelopeAddress> list : List.of(e.from(), e.to(), e.cc(), e.bcc())) {
            for (EnvelopeAddress a : list) {
                switch (a) {
                    case EnvelopeAddress.Mailbox mb -> {
                        mb.decodedName().ifPresent(n -> text.append(n).append('\n'));
                        text.append(mb.address()).append('\n');
                    }
                    case EnvelopeAddress.GroupStart g -> text.append(g.decodedGroupName()).append('\n');
                    case EnvelopeAddress.GroupEnd g -> { }
                }
            }
        }
        text.append(body);
        int max = limits.maxIndexedChars();
        if (text.length() <= max) return new IndexText(text.toString(), true);
        if (max > 0 && Character.isHighSurrogate(text.charAt(max - 1))) max--;
        return new IndexText(text.substring(0, max), false);
    }

    /**
     * A content's index entry; {@code complete} is false when {@code maxIndexedChars} cut the text
     * short. The limit is part of the entry: the same limit must derive it again for removal.
     */
    record IndexText(String text, boolean complete) {
        /**
         * The index rows of this text (Schema v9): windows of {@link #CHUNK_CHARS} characters, each
         * reaching {@link #CHUNK_OVERLAP} characters into the next, under the row ids of
         * {@link #rowid}. A trigram query then finds the windows holding every trigram of a needle
         * rather than the whole messages: a log of a megabyte holds nearly every trigram of a rare
         * word somewhere, but seldom within one window. Every occurrence of a
         * string up to {@link #CHUNK_OVERLAP} + 1 characters long lies inside one window; the last
         * window takes the rest of a text too long for {@code 1 << CHUNK_BITS} of them. No window
         * starts or ends inside a surrogate pair. Part of the index format: removing an entry derives
         * the same rows again.
         */
        List<Chunk> chunks(long contentId) {
            List<Chunk> out = new java.util.ArrayList<>(text.length() / CHUNK_CHARS + 1);
            int n = text.length();
            for (int k = 0; ; k++) {
                int start = align(k * CHUNK_CHARS);
                boolean last = k == MAX_CHUNKS - 1 || (k + 1) * CHUNK_CHARS >= n;
                int end = last ? n : align(Math.min(n, (k + 1) * CHUNK_CHARS + CHUNK_OVERLAP));
                out.add(new Chunk(rowid(contentId, k), text.substring(start, end)));
                if (last) return out;
            }
        }

        /** A window boundary moved off the second half of a surrogate pair. */
        private int align(int i) {
            return i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i)) ? i - 1 : i;
        }
    }

    /** One row of the full-text index: its row id and text. */
    record Chunk(long rowid, String text) {}

    static final int CHUNK_CHARS = 16_384;
    static final int CHUNK_OVERLAP = 255;
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

    /** Runs {@code sql} with each chunk's row id and text: adds the index rows, or removes them. */
    private static void eachChunk(Connection c, String sql, List<Chunk> chunks) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (Chunk chunk : chunks) {
                ps.setLong(1, chunk.rowid());
                ps.setString(2, chunk.text());
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
            Extracted e = Extracted.of(raw);
            return new Indexed(indexText(e.headers(), e.envelope(), e.body(), limits), SearchTexts.of(e.headers(), e.body()));
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
        eachChunk(c, "INSERT INTO fts(rowid, text) VALUES (?, ?)", text.chunks(contentId));
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
            eachChunk(c, "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", indexText(load(c, contentId), limits).chunks(contentId));
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
