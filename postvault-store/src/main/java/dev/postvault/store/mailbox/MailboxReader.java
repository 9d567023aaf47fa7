package dev.postvault.store.mailbox;

import dev.postvault.mime.Envelope;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.SortKeys;
import dev.postvault.mime.ThreadKeys;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Many reads of one mailbox in one snapshot, for a command that visits many messages (FETCH, SEARCH,
 * SORT, THREAD): one reader connection and one read transaction for the whole run, and each query
 * prepared once, so a message costs a few B-tree lookups rather than a connection round of its own.
 * Not thread-safe; close it promptly (a long-lived snapshot keeps the WAL from being reset), and
 * never while waiting on a client: write to the network after closing, or between readers.
 */
public final class MailboxReader implements AutoCloseable {
    private final MailboxDb db;
    private final Connection c;
    private PreparedStatement structure;
    private PreparedStatement header;
    private PreparedStatement envelope;
    private PreparedStatement texts;
    private PreparedStatement emailId;
    private boolean closed;
    /** Inflates this reader's columns; the search texts it returns read through it too. */
    private final Packing.Unpacker unpacker = new Packing.Unpacker();

    MailboxReader(MailboxDb db) {
        this.db = db;
        this.c = db.lease();
    }

    /** The cached MIME structure (envelope and body structure); NOT_FOUND once expunged. */
    public MessageStructure structure(long contentId) {
        return db.gated(() -> {
            if (structure == null) structure = c.prepareStatement(SummaryOps.STRUCTURE);
            return SummaryOps.structure(structure, contentId, unpacker);
        });
    }

    /** The cached envelope (RFC 9051 §7.5.2 ENVELOPE), without the body structure. */
    public Envelope envelope(long contentId) {
        return db.gated(() -> {
            if (envelope == null) envelope = c.prepareStatement(SummaryOps.ENVELOPE);
            return SummaryOps.envelope(envelope, contentId, unpacker);
        });
    }

    /**
     * The sort keys ({@link SortKeys}) of the contents {@code ids} of a folder: SORT and THREAD read
     * these plain columns and decode nothing. Only {@code fields} are read; the other keys are empty.
     * Like every read of {@code message_keys} here, the answer maps content ids to values and may
     * hold other contents too; a content expunged before this reader's snapshot may be missing.
     */
    public Map<Long, SortKeys> sortKeys(long folderId, java.util.Set<SortKeys.Field> fields, long[] ids) {
        java.util.Set<SortKeys.Field> read = java.util.EnumSet.noneOf(SortKeys.Field.class);
        read.addAll(fields);
        return keys("sort " + read, SummaryOps.sortKeyColumns(read), folderId, ids, rs -> SummaryOps.sortKeys(rs, read));
    }

    /**
     * The Date: header's own day ({@link SortKeys#sentDay()}) of the contents {@code ids} of a
     * folder: the one column SENTBEFORE, SENTON and SENTSINCE compare.
     */
    public Map<Long, Optional<java.time.LocalDate>> sentDays(long folderId, long[] ids) {
        return keys("sent day", SummaryOps.SENT_DAY_COLUMNS, folderId, ids, SummaryOps::sentDay);
    }

    /** What THREAD=REFERENCES links by ({@link ThreadKeys}) for the contents {@code ids} of a folder. */
    public Map<Long, ThreadKeys> threadKeys(long folderId, long[] ids) {
        return keys("thread", SummaryOps.THREAD_KEY_COLUMNS, folderId, ids, SummaryOps::threadKeys);
    }

    /**
     * The stored search text of one {@link dev.postvault.mime.SearchFields#STORED} field (as written;
     * SEARCH lowers both sides) of the contents {@code ids} of a folder; empty for a message without that field. What SUBJECT,
     * FROM, TO, CC and BCC searches compare.
     */
    public Map<Long, Optional<String>> searchFields(long folderId, String field, long[] ids) {
        return keys("field " + field, SummaryOps.searchFieldColumn(field), folderId, ids, rs -> Optional.ofNullable(rs.getString(2)));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Above this many contents missing from the cache, the whole folder is read in one statement. */
    private static final int POINT_READS = 64;

    /**
     * {@code columns} of the contents {@code ids}, through the mailbox's {@link KeyCache}: what it
     * lacks is read here, one content at a time when few are missing (new mail since the last
     * command), else for the whole folder in one statement, and added to it.
     */
    private <T> Map<Long, T> keys(String kind, String columns, long folderId, long[] ids, Row<T> row) {
        Map<Long, T> cache = db.keyCache.column(kind, ids.length);
        if (cache == null) return inFolder(columns, folderId, row, new HashMap<>()); // a folder larger than the cache may grow
        int missing = 0;
        for (long id : ids) if (!cache.containsKey(id)) missing++;
        if (missing == 0) return cache;
        if (missing > POINT_READS) return inFolder(columns, folderId, row, cache);
        return db.gated(() -> {
            try (var ps = c.prepareStatement(SummaryOps.ofContent(columns))) {
                for (long id : ids) {
                    if (cache.containsKey(id)) continue;
                    ps.setLong(1, id);
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) cache.put(id, row.read(rs));
                    }
                }
            }
            return cache;
        });
    }

    /** {@code columns} of every message of a folder, put into {@code out} by content id. */
    private <T> Map<Long, T> inFolder(String columns, long folderId, Row<T> row, Map<Long, T> out) {
        return db.gated(() -> {
            try (var ps = c.prepareStatement(SummaryOps.inFolder(columns))) {
                ps.setLong(1, folderId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), row.read(rs));
                }
            }
            return out;
        });
    }

    /** The message's top-level header exactly as it arrived, through the blank line that ends it. */
    public byte[] header(long contentId) {
        return db.gated(() -> {
            if (header == null) header = c.prepareStatement(SummaryOps.HEADER);
            return SummaryOps.header(header, contentId, unpacker);
        });
    }

    /**
     * The texts the message is searched by, once the background indexer has stored them. They read
     * through this reader: use them before it closes.
     */
    public Optional<SearchTexts> texts(long contentId) {
        return db.gated(() -> {
            if (texts == null) texts = c.prepareStatement(SummaryOps.TEXTS);
            return SummaryOps.texts(texts, contentId, unpacker);
        });
    }

    /** The content's EMAILID (RFC 8474 §4.1). */
    public String emailId(long contentId) {
        return db.gated(() -> {
            if (emailId == null) emailId = c.prepareStatement("SELECT email_id FROM contents WHERE id = ?");
            emailId.setLong(1, contentId);
            try (var rs = emailId.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound("no such message");
                return rs.getString(1);
            }
        });
    }

    /** The content an EMAILID names, if this mailbox holds it (SEARCH EMAILID, RFC 8474 §6). */
    public Optional<Long> contentWithEmailId(String emailId) {
        return db.gated(() -> {
            try (var ps = c.prepareStatement("SELECT id FROM contents WHERE email_id = ?")) {
                ps.setString(1, emailId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    /** The message exactly as it arrived. */
    public byte[] raw(long contentId) {
        return db.gated(() -> ContentOps.load(c, contentId));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (PreparedStatement ps : new PreparedStatement[] {structure, header, envelope, texts, emailId}) {
            if (ps == null) continue;
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection's end below releases it anyway
            }
        }
        unpacker.close();
        db.endLease(c);
    }
}
