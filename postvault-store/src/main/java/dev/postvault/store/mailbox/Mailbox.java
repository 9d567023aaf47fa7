package dev.postvault.store.mailbox;

import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.HybridKem;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageStructureCodec;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.events.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's handle on one alias's mailbox. Thread-safe; close it when the session ends. Every method
 * may throw {@link StoreException}.
 */
public final class Mailbox implements AutoCloseable {
    private final MailboxStore store;
    private final MailboxDb db;
    private final ChangeBus bus;
    private final MailboxLimits limits;
    private final AtomicBoolean closed = new AtomicBoolean();

    Mailbox(MailboxStore store, MailboxDb db, ChangeBus bus, MailboxLimits limits) {
        this.store = store;
        this.db = db;
        this.bus = bus;
        this.limits = limits;
    }

    public String aliasId() {
        return db.aliasId;
    }

    public List<Folder> folders() {
        return db.read(c -> {
            List<Folder> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT * FROM folders ORDER BY name <> 'INBOX', name"); var rs = ps.executeQuery()) {
                while (rs.next()) out.add(folder(rs));
            }
            return out;
        });
    }

    /** The folder named {@code name} ("INBOX" in any case is the inbox); NOT_FOUND if absent. */
    public Folder folder(String name) {
        String n = name.equalsIgnoreCase(Folder.INBOX) ? Folder.INBOX : name;
        return db.read(c -> findFolder(c, n)).orElseThrow(() -> StoreException.notFound("no such folder"));
    }

    /** All messages of a folder in UID order. */
    public List<MessageMeta> messages(long folderId) {
        return messages(folderId, 1, Long.MAX_VALUE);
    }

    /** Messages with {@code fromUid <= uid <= toUid}, in UID order. */
    public List<MessageMeta> messages(long folderId, long fromUid, long toUid) {
        return db.read(c -> {
            List<MessageMeta> out = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT m.uid, m.modseq, m.flags, m.keywords, m.internal_date, m.save_date, m.size, m.content_id, ct.email_id
                    FROM messages m JOIN contents ct ON ct.id = m.content_id
                    WHERE m.folder_id = ? AND m.uid BETWEEN ? AND ? ORDER BY m.uid""")) {
                ps.setLong(1, folderId);
                ps.setLong(2, fromUid);
                ps.setLong(3, toUid);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MessageMeta(rs.getLong(1), rs.getLong(2), MessageFlags.fromColumns(rs.getInt(3), rs.getString(4)),
                                Instant.parse(rs.getString(5)), Instant.parse(rs.getString(6)), rs.getLong(7), rs.getLong(8), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    /** The cached MIME structure (envelope and body structure) of a content. */
    public MessageStructure structure(long contentId) {
        byte[] b = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT structure FROM contents WHERE id = ?")) {
                ps.setLong(1, contentId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        if (b == null) throw StoreException.notFound("no such message");
        return MessageStructureCodec.decode(Packing.unpack(b));
    }

    /** The message exactly as it arrived. */
    public byte[] raw(long contentId) {
        return db.read(c -> loadRaw(c, contentId));
    }

    /** Appends a message to a folder (RFC 9051 §6.3.12 semantics); returns its UID. */
    public Appended append(String folderName, byte[] raw, MessageFlags flags, Instant internalDate) {
        Prepared p = prepare(raw);
        Folder f = folder(folderName);
        Appended a = db.write(() -> insertMessage(db.writer(), f.id(), p, flags, internalDate));
        bus.publish(new ChangeEvent.MessagesAdded(db.aliasId, a.folderId(), a.uid(), a.modseq()));
        return a;
    }

    /**
     * Delivers spooled messages into INBOX in one transaction, each recorded by its spool id; a spool
     * id already recorded is skipped, so delivering the same item twice (after a crash between commit
     * and spool-file removal) stores it once. Returns the spool ids that were already delivered or are
     * now, i.e. all whose files may be removed.
     */
    public List<String> deliver(List<SpoolDelivery> items) {
        if (items.isEmpty()) return List.of();
        List<Prepared> prepared = new ArrayList<>(items.size());
        for (SpoolDelivery d : items) prepared.add(prepare(d.raw()));
        Folder inbox = folder(Folder.INBOX);
        List<Appended> added = new ArrayList<>();
        db.write(() -> {
            Connection c = db.writer();
            for (int i = 0; i < items.size(); i++) {
                SpoolDelivery d = items.get(i);
                if (Sqlite.exists(c, "SELECT 1 FROM spool_receipts WHERE spool_id = ?", d.spoolId())) continue;
                added.add(insertMessage(c, inbox.id(), prepared.get(i), MessageFlags.NONE, d.receivedAt()));
                Sqlite.update(c, "INSERT INTO spool_receipts(spool_id, delivered_at) VALUES (?, ?)",
                        d.spoolId(), Instant.now().toString());
            }
            return null;
        });
        if (!added.isEmpty()) {
            Appended last = added.getLast();
            bus.publish(new ChangeEvent.MessagesAdded(db.aliasId, last.folderId(), last.uid(), last.modseq()));
        }
        return items.stream().map(SpoolDelivery::spoolId).toList();
    }

    /** Forgets receipts whose spool files are gone (they only guard the window before removal). */
    public void forgetReceipts(List<String> spoolIds) {
        if (spoolIds.isEmpty()) return;
        db.write(() -> {
            for (String id : spoolIds) Sqlite.update(db.writer(), "DELETE FROM spool_receipts WHERE spool_id = ?", id);
            return null;
        });
    }

    /**
     * Adds system flags to messages (e.g. the implicit {@code \Seen} of FETCH BODY[], RFC 9051 §6.4.5).
     * Each message that changes gets a new MODSEQ and a journal row. Returns the changed messages' UIDs.
     */
    public List<Long> addFlags(long folderId, List<Long> uids, java.util.Set<SystemFlag> flags) {
        int add = MessageFlags.of(flags.toArray(SystemFlag[]::new)).bits();
        List<Long> changed = new ArrayList<>();
        long[] lastModseq = {0};
        db.write(() -> {
            Connection c = db.writer();
            try (var read = c.prepareStatement("SELECT flags FROM messages WHERE folder_id = ? AND uid = ?");
                 var upd = c.prepareStatement("UPDATE messages SET flags = ?, modseq = ? WHERE folder_id = ? AND uid = ?")) {
                for (long uid : uids) {
                    read.setLong(1, folderId);
                    read.setLong(2, uid);
                    int old;
                    try (var rs = read.executeQuery()) {
                        if (!rs.next()) continue; // expunged meanwhile
                        old = rs.getInt(1);
                    }
                    if ((old | add) == old) continue;
                    long modseq = nextModseq(c);
                    Sqlite.bind(upd, old | add, modseq, folderId, uid);
                    upd.executeUpdate();
                    Sqlite.update(c, "INSERT INTO journal(modseq, folder_id, uid, kind) VALUES (?, ?, ?, 2)", modseq, folderId, uid);
                    changed.add(uid);
                    lastModseq[0] = modseq;
                }
            }
            if (!changed.isEmpty()) Sqlite.update(c, "UPDATE folders SET highest_modseq = ? WHERE id = ?", lastModseq[0], folderId);
            return null;
        });
        if (!changed.isEmpty()) bus.publish(new ChangeEvent.FlagsChanged(db.aliasId, folderId, lastModseq[0]));
        return changed;
    }

    /**
     * Removes the folder's messages flagged {@code \Deleted} (RFC 9051 §6.4.3), or only those among
     * {@code uids} (UID EXPUNGE, RFC 4315 §2.1). Each removal gets a MODSEQ and a journal row so
     * other sessions and QRESYNC learn of it. Returns the expunged UIDs in ascending order.
     */
    public List<Long> expungeDeleted(long folderId, Optional<java.util.Set<Long>> uids) {
        List<Long> gone = new ArrayList<>();
        long[] lastModseq = {0};
        db.write(() -> {
            Connection c = db.writer();
            List<long[]> victims = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT uid, content_id FROM messages WHERE folder_id = ? AND (flags & ?) != 0 ORDER BY uid")) {
                ps.setLong(1, folderId);
                ps.setInt(2, MessageFlags.of(SystemFlag.DELETED).bits());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (uids.isEmpty() || uids.get().contains(rs.getLong(1))) victims.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
            for (long[] v : victims) {
                Sqlite.update(c, "DELETE FROM messages WHERE folder_id = ? AND uid = ?", folderId, v[0]);
                long modseq = nextModseq(c);
                Sqlite.update(c, "INSERT INTO journal(modseq, folder_id, uid, kind) VALUES (?, ?, ?, 3)", modseq, folderId, v[0]);
                releaseContent(c, v[1]);
                gone.add(v[0]);
                lastModseq[0] = modseq;
            }
            if (!gone.isEmpty()) Sqlite.update(c, "UPDATE folders SET highest_modseq = ? WHERE id = ?", lastModseq[0], folderId);
            return null;
        });
        if (!gone.isEmpty()) bus.publish(new ChangeEvent.MessagesExpunged(db.aliasId, folderId, lastModseq[0]));
        return gone;
    }

    /** The alias's hybrid keypair; the private half lives only in this encrypted file. */
    public HybridKem.KeyPairs aliasKeys() {
        return db.read(c -> new HybridKem.KeyPairs(
                HybridKem.PublicKeys.decode(meta(c, MailboxStore.META_PUBLIC_KEY)),
                HybridKem.PrivateKeys.decode(meta(c, MailboxStore.META_PRIVATE_KEY))));
    }

    /** Sum of message sizes over all folders (what QUOTA's STORAGE resource counts). */
    public long usedBytes() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT coalesce(sum(size), 0) FROM messages"); var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** A lock held while draining the spool, so two sessions of one alias do not unseal the same files. */
    public java.util.concurrent.locks.Lock drainLock() {
        return db.drainLock;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) store.release(db);
    }

    // ---- internals -------------------------------------------------------------------------------

    private record Prepared(byte[] raw, byte[] sha256, MessageContent.Split split, byte[] structure, String text) {}

    private Prepared prepare(byte[] raw) {
        if (raw.length > limits.maxMessageBytes()) throw new StoreException(StoreException.Kind.TOO_BIG, "message too big");
        MessageStructure s = dev.postvault.mime.MimeParser.parse(raw);
        var split = MessageContent.split(raw, s, limits.blobThresholdBytes());
        String text = dev.postvault.mime.MessageText.extract(raw, s, limits.maxIndexedChars());
        return new Prepared(raw, MessageContent.sha256(raw, 0, raw.length), split, MessageStructureCodec.encode(s), text);
    }

    private Appended insertMessage(Connection c, long folderId, Prepared p, MessageFlags flags, Instant internalDate) throws SQLException {
        long contentId = insertContent(c, p);
        long modseq = nextModseq(c);
        long uid;
        long validity;
        try (var ps = c.prepareStatement("""
                UPDATE folders SET uidnext = uidnext + 1, highest_modseq = ? WHERE id = ? RETURNING uidnext - 1, uidvalidity""")) {
            ps.setLong(1, modseq);
            ps.setLong(2, folderId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound("no such folder");
                uid = rs.getLong(1);
                validity = rs.getLong(2);
            }
        }
        String now = Instant.now().toString();
        Sqlite.update(c, """
                INSERT INTO messages(folder_id, uid, modseq, flags, keywords, internal_date, save_date, size, content_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                folderId, uid, modseq, flags.bits(), flags.keywordColumn(), internalDate.toString(), now, (long) p.raw().length, contentId);
        Sqlite.update(c, "INSERT INTO journal(modseq, folder_id, uid, kind) VALUES (?, ?, ?, 1)", modseq, folderId, uid);
        return new Appended(folderId, validity, uid, modseq);
    }

    private long insertContent(Connection c, Prepared p) throws SQLException {
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
        try (var ps = c.prepareStatement("""
                INSERT INTO contents(sha256, size, email_id, skeleton, structure, refcount) VALUES (?, ?, ?, ?, ?, 1) RETURNING id""")) {
            Sqlite.bind(ps, p.sha256(), (long) p.raw().length, "M" + Bytes.randomId(), Packing.pack(p.split().skeleton()), Packing.pack(p.structure()));
            try (var rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        // Contentless FTS5: the index only. Removing a row later needs the same values again ('delete').
        Sqlite.update(c, "INSERT INTO fts(rowid, text) VALUES (?, ?)", id, p.text());
        return id;
    }

    private static byte[] loadRaw(Connection c, long contentId) throws SQLException {
        byte[] skeleton;
        long size;
        try (var ps = c.prepareStatement("SELECT skeleton, size FROM contents WHERE id = ?")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound("no such message");
                skeleton = Packing.unpack(rs.getBytes(1));
                size = rs.getLong(2);
            }
        }
        Map<String, byte[]> blobs = new HashMap<>();
        try (var ps = c.prepareStatement("SELECT data FROM blobs WHERE sha256 = ?")) {
            for (byte[] sha : MessageContent.blobRefs(skeleton)) {
                String hex = HexFormat.of().formatHex(sha);
                if (blobs.containsKey(hex)) continue;
                ps.setBytes(1, sha);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) throw new StoreException(StoreException.Kind.CORRUPT, "attachment missing");
                    blobs.put(hex, rs.getBytes(1));
                }
            }
        }
        byte[] raw = MessageContent.join(skeleton, blobs, size);
        if (raw.length != size) throw new StoreException(StoreException.Kind.CORRUPT, "message size mismatch");
        return raw;
    }

    /**
     * Drops one reference to a content; the last reference removes it with its index entry, and
     * releases its blobs. The contentless FTS5 index forgets a row only when given the same text
     * again ('delete' command), so the text is derived once more from the stored message.
     */
    private void releaseContent(Connection c, long contentId) throws SQLException {
        long refs;
        try (var ps = c.prepareStatement("UPDATE contents SET refcount = refcount - 1 WHERE id = ? RETURNING refcount")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) return;
                refs = rs.getLong(1);
            }
        }
        if (refs > 0) return;
        byte[] raw = loadRaw(c, contentId);
        byte[] skeleton;
        try (var ps = c.prepareStatement("SELECT skeleton FROM contents WHERE id = ?")) {
            ps.setLong(1, contentId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                skeleton = Packing.unpack(rs.getBytes(1));
            }
        }
        String text = dev.postvault.mime.MessageText.extract(raw, dev.postvault.mime.MimeParser.parse(raw), limits.maxIndexedChars());
        Sqlite.update(c, "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)", contentId, text);
        Sqlite.update(c, "DELETE FROM contents WHERE id = ?", contentId);
        for (byte[] sha : MessageContent.blobRefs(skeleton)) {
            Sqlite.update(c, "UPDATE blobs SET refcount = refcount - 1 WHERE sha256 = ?", (Object) sha);
        }
        Sqlite.update(c, "DELETE FROM blobs WHERE refcount <= 0");
    }

    private static long nextModseq(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE counters SET value = value + 1 WHERE name = 'modseq' RETURNING value"); var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Optional<Folder> findFolder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(folder(rs)) : Optional.empty();
            }
        }
    }

    private static Folder folder(ResultSet rs) throws SQLException {
        String use = rs.getString("special_use");
        return new Folder(rs.getLong("id"), rs.getString("name"), Optional.ofNullable(use).map(SpecialUse::valueOf),
                rs.getInt("subscribed") != 0, rs.getLong("uidvalidity"), rs.getLong("uidnext"), rs.getLong("highest_modseq"),
                rs.getString("object_id"));
    }

    private static byte[] meta(Connection c, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) throw new StoreException(StoreException.Kind.CORRUPT, "mailbox has no alias key");
                return rs.getBytes(1);
            }
        }
    }
}
