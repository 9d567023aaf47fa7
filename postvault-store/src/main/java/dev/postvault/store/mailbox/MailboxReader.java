package dev.postvault.store.mailbox;

import dev.postvault.mime.MessageStructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
            if (structure == null) structure = c.prepareStatement(ContentOps.STRUCTURE);
            return ContentOps.structure(structure, contentId, unpacker);
        });
    }

    /** The cached envelope (RFC 9051 §7.5.2 ENVELOPE), without the body structure. */
    public dev.postvault.mime.Envelope envelope(long contentId) {
        return db.gated(() -> {
            if (envelope == null) envelope = c.prepareStatement(ContentOps.ENVELOPE);
            return ContentOps.envelope(envelope, contentId, unpacker);
        });
    }

    /**
     * The sort keys ({@link dev.postvault.mime.SortKeys}) of every message in a folder, by content, in
     * one statement: SORT, ORDEREDSUBJECT and SENT* searches read these plain columns and decode
     * nothing.
     */
    public java.util.Map<Long, dev.postvault.mime.SortKeys> sortKeys(long folderId) {
        return db.gated(() -> {
            java.util.Map<Long, dev.postvault.mime.SortKeys> out = new java.util.HashMap<>();
            try (var ps = c.prepareStatement(ContentOps.SORT_KEYS)) {
                ps.setLong(1, folderId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), ContentOps.sortKeys(rs));
                }
            }
            return out;
        });
    }

    /** What THREAD=REFERENCES links by ({@link dev.postvault.mime.ThreadKeys}) for every message in a folder, by content, in one statement. */
    public java.util.Map<Long, dev.postvault.mime.ThreadKeys> threadKeys(long folderId) {
        return db.gated(() -> {
            java.util.Map<Long, dev.postvault.mime.ThreadKeys> out = new java.util.HashMap<>();
            try (var ps = c.prepareStatement(ContentOps.THREAD_KEYS)) {
                ps.setLong(1, folderId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), ContentOps.threadKeys(rs));
                }
            }
            return out;
        });
    }

    /**
     * The stored search text of one {@link dev.postvault.mime.SearchFields#STORED} field (lower case)
     * for every message in a folder, by content, in one statement; empty for a message without that
     * field. What SUBJECT, FROM, TO, CC and BCC searches compare.
     */
    public java.util.Map<Long, Optional<String>> searchFields(long folderId, String field) {
        return db.gated(() -> {
            java.util.Map<Long, Optional<String>> out = new java.util.HashMap<>();
            try (var ps = c.prepareStatement(ContentOps.searchFieldsQuery(field))) {
                ps.setLong(1, folderId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getLong(1), Optional.ofNullable(rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** The message's top-level header exactly as it arrived, through the blank line that ends it. */
    public byte[] header(long contentId) {
        return db.gated(() -> {
            if (header == null) header = c.prepareStatement(ContentOps.HEADER);
            return ContentOps.header(header, contentId, unpacker);
        });
    }

    /**
     * The texts the message is searched by, once the background indexer has stored them. They read
     * through this reader: use them before it closes.
     */
    public Optional<SearchTexts> texts(long contentId) {
        return db.gated(() -> {
            if (texts == null) texts = c.prepareStatement(ContentOps.TEXTS);
            return ContentOps.texts(texts, contentId, unpacker);
        });
    }

    /** The content's EMAILID (RFC 8474 §4.1). */
    public String emailId(long contentId) {
        return db.gated(() -> {
            if (emailId == null) emailId = c.prepareStatement("SELECT email_id FROM contents WHERE id = ?");
            emailId.setLong(1, contentId);
            try (var rs = emailId.executeQuery()) {
                if (!rs.next()) throw dev.postvault.store.StoreException.notFound("no such message");
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
