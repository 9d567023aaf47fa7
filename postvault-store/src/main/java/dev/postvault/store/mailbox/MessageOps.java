package dev.postvault.store.mailbox;

import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/** Message rows (SQL behind {@link Mailbox}): insert with UID and MODSEQ, flags, copy, expunge, quota. */
final class MessageOps {
    enum Journal {
        ADDED(1),
        FLAGS(2),
        EXPUNGED(3);

        final int code;

        Journal(int code) {
            this.code = code;
        }
    }

    private MessageOps() {}

    static long nextModseq(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE counters SET value = value + 1 WHERE name = 'modseq' RETURNING value"); var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void journal(Connection c, long modseq, long folderId, long uid, Journal kind) throws SQLException {
        Sqlite.update(c, "INSERT INTO journal(modseq, folder_id, uid, kind) VALUES (?, ?, ?, ?)", modseq, folderId, uid, kind.code);
        Sqlite.update(c, "UPDATE folders SET highest_modseq = max(highest_modseq, ?) WHERE id = ?", modseq, folderId);
    }

    /** Fails with OVER_QUOTA when adding {@code bytes} would pass {@code quotaBytes} (RFC 9208 §5.1). */
    static void checkQuota(Connection c, long bytes, long quotaBytes) throws SQLException {
        if (quotaBytes <= 0) return;
        try (var ps = c.prepareStatement("SELECT value FROM counters WHERE name = 'used_bytes'"); var rs = ps.executeQuery()) {
            long used = rs.next() ? rs.getLong(1) : 0;
            if (used + bytes > quotaBytes) throw new StoreException(StoreException.Kind.OVER_QUOTA, "quota exceeded");
        }
    }

    /** A new message row with the folder's next UID. */
    static Appended insert(Connection c, long folderId, long contentId, long size, MessageFlags flags, Instant internalDate) throws SQLException {
        long modseq = nextModseq(c);
        long uid;
        long validity;
        try (var ps = c.prepareStatement("UPDATE folders SET uidnext = uidnext + 1 WHERE id = ? RETURNING uidnext - 1, uidvalidity")) {
            ps.setLong(1, folderId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound("no such folder");
                uid = rs.getLong(1);
                validity = rs.getLong(2);
            }
        }
        Sqlite.update(c, """
                INSERT INTO messages(folder_id, uid, modseq, flags, keywords, internal_date, save_date, size, content_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                folderId, uid, modseq, flags.bits(), flags.keywordColumn(), internalDate.toString(), Instant.now().toString(), size, contentId);
        Sqlite.update(c, "UPDATE counters SET value = value + ? WHERE name = 'used_bytes'", size);
        journal(c, modseq, folderId, uid, Journal.ADDED);
        return new Appended(folderId, validity, uid, modseq);
    }

    record Row(long uid, long contentId, long size, int flags, String keywords, String internalDate, long modseq) {}

    static List<Row> rows(Connection c, long folderId, Collection<Long> uids) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT uid, content_id, size, flags, keywords, internal_date, modseq FROM messages WHERE folder_id = ? AND uid = ?")) {
            for (long uid : uids.stream().sorted().toList()) {
                ps.setLong(1, folderId);
                ps.setLong(2, uid);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    /**
     * RFC 9051 §6.4.6 STORE with RFC 7162 §3.1.3 UNCHANGEDSINCE: messages whose MODSEQ is above the
     * bound are left alone and reported as modified.
     */
    static FlagUpdate storeFlags(Connection c, long folderId, Collection<Long> uids, FlagMode mode, MessageFlags given,
                                 OptionalLong unchangedSince) throws SQLException {
        List<Long> changed = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        for (Row r : rows(c, folderId, uids)) {
            if (unchangedSince.isPresent() && r.modseq() > unchangedSince.getAsLong()) {
                modified.add(r.uid());
                continue;
            }
            MessageFlags old = MessageFlags.fromColumns(r.flags(), r.keywords());
            MessageFlags next = mode.apply(old, given);
            if (next.equals(old)) continue;
            long modseq = nextModseq(c);
            Sqlite.update(c, "UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE folder_id = ? AND uid = ?",
                    next.bits(), next.keywordColumn(), modseq, folderId, r.uid());
            journal(c, modseq, folderId, r.uid(), Journal.FLAGS);
            changed.add(r.uid());
        }
        return new FlagUpdate(changed, modified);
    }

    /** Copies messages into another folder (UIDPLUS COPYUID data): same content, flags and date. */
    static CopyResult copy(Connection c, long fromFolderId, Collection<Long> uids, Folder to, long quotaBytes) throws SQLException {
        List<Row> rows = rows(c, fromFolderId, uids);
        checkQuota(c, rows.stream().mapToLong(Row::size).sum(), quotaBytes);
        List<Long> src = new ArrayList<>();
        List<Long> dst = new ArrayList<>();
        for (Row r : rows) {
            ContentOps.addReference(c, r.contentId());
            Appended a = insert(c, to.id(), r.contentId(), r.size(), MessageFlags.fromColumns(r.flags(), r.keywords()), Instant.parse(r.internalDate()));
            src.add(r.uid());
            dst.add(a.uid());
        }
        return new CopyResult(to.uidValidity(), src, dst);
    }

    /** Removes message rows, journaling each expunge; the contents are released by the caller's limits. */
    static List<Long> remove(Connection c, long folderId, Collection<Long> uids, MailboxLimits limits) throws SQLException {
        List<Long> gone = new ArrayList<>();
        for (Row r : rows(c, folderId, uids)) {
            Sqlite.update(c, "DELETE FROM messages WHERE folder_id = ? AND uid = ?", folderId, r.uid());
            Sqlite.update(c, "UPDATE counters SET value = value - ? WHERE name = 'used_bytes'", r.size());
            journal(c, nextModseq(c), folderId, r.uid(), Journal.EXPUNGED);
            ContentOps.release(c, r.contentId(), limits);
            gone.add(r.uid());
        }
        return gone;
    }
}
