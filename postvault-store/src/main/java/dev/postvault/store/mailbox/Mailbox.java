package dev.postvault.store.mailbox;

import dev.postvault.crypto.HybridKem;
import dev.postvault.mime.MessageStructure;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.events.ChangeEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * A session's handle on one alias's mailbox: the protocol-neutral operations IMAP, POP3 and the
 * spool need. Thread-safe; close it when the session ends. Every method may throw
 * {@link StoreException}. Writes publish their {@link ChangeEvent} after they commit.
 */
public final class Mailbox implements AutoCloseable {
    private final MailboxStore store;
    private final MailboxDb db;
    private final ChangeBus bus;
    private final MailboxLimits limits;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long quotaBytes;

    Mailbox(MailboxStore store, MailboxDb db, ChangeBus bus, MailboxLimits limits) {
        this.store = store;
        this.db = db;
        this.bus = bus;
        this.limits = limits;
    }

    public String aliasId() {
        return db.aliasId;
    }

    /** The storage limit appends and copies are checked against (RFC 9208 STORAGE); 0 means none. */
    public void quotaBytes(long bytes) {
        this.quotaBytes = bytes;
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    // ---- folders ---------------------------------------------------------------------------------

    public List<Folder> folders() {
        return db.read(FolderOps::all);
    }

    /** The folder named {@code name} ("INBOX" in any case is the inbox); NOT_FOUND if absent. */
    public Folder folder(String name) {
        String n = FolderNames.canonical(name);
        return db.read(c -> FolderOps.requireSelectable(c, n));
    }

    public Folder createFolder(String name, Optional<SpecialUse> use) {
        String n = FolderNames.canonical(name);
        Folder f = db.write(() -> FolderOps.create(db.writer(), n, use));
        bus.publish(new ChangeEvent.FoldersChanged(db.aliasId));
        return f;
    }

    public void deleteFolder(String name) {
        String n = FolderNames.canonical(name);
        db.write(() -> {
            for (long contentId : FolderOps.delete(db.writer(), n)) ContentOps.release(db.writer(), contentId, limits);
            return null;
        });
        bus.publish(new ChangeEvent.FoldersChanged(db.aliasId));
    }

    /**
     * RFC 9051 §6.3.6. Renaming INBOX moves its messages into a new folder and leaves INBOX empty.
     */
    public void renameFolder(String from, String to) {
        String f = FolderNames.canonical(from);
        String t = FolderNames.canonical(to);
        List<Long> moved = new ArrayList<>();
        long[] inboxId = {0};
        db.write(() -> {
            Connection c = db.writer();
            if (f.equals(Folder.INBOX)) {
                Folder inbox = FolderOps.require(c, Folder.INBOX);
                inboxId[0] = inbox.id();
                Folder target = FolderOps.create(c, t, Optional.empty());
                List<Long> uids = uids(c, inbox.id());
                MessageOps.copy(c, inbox.id(), uids, target, 0);
                moved.addAll(MessageOps.remove(c, inbox.id(), uids, limits));
            } else {
                FolderOps.rename(c, f, t);
            }
            return null;
        });
        bus.publish(new ChangeEvent.FoldersChanged(db.aliasId));
        if (!moved.isEmpty()) bus.publish(new ChangeEvent.MessagesExpunged(db.aliasId, inboxId[0], 0));
    }

    public void subscribe(String name, boolean on) {
        String n = FolderNames.canonical(name);
        db.write(() -> {
            FolderOps.subscribe(db.writer(), n, on);
            return null;
        });
    }

    /** Subscribed names, including names of folders that do not exist (RFC 9051 §6.3.7). */
    public List<String> subscriptions() {
        return db.read(FolderOps::subscriptions);
    }

    /**
     * Claims the \Recent messages of a folder for the calling session (RFC 3501 §2.3.2): returns the
     * lowest UID that was still recent, and marks everything below {@code uidNext} as told. With
     * {@code claim} false (EXAMINE) it only looks.
     */
    public long claimRecent(long folderId, long uidNext, boolean claim) {
        if (!claim) {
            return db.read(c -> {
                try (var ps = c.prepareStatement("SELECT recent_uid FROM folders WHERE id = ?")) {
                    ps.setLong(1, folderId);
                    try (var rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : uidNext;
                    }
                }
            });
        }
        return db.write(() -> {
            Connection c = db.writer();
            long from;
            try (var ps = c.prepareStatement("SELECT recent_uid FROM folders WHERE id = ?")) {
                ps.setLong(1, folderId);
                try (var rs = ps.executeQuery()) {
                    from = rs.next() ? rs.getLong(1) : uidNext;
                }
            }
            if (uidNext > from) Sqlite.update(c, "UPDATE folders SET recent_uid = ? WHERE id = ?", uidNext, folderId);
            return from;
        });
    }

    public FolderStatus status(String name) {
        String n = FolderNames.canonical(name);
        return db.read(c -> FolderOps.status(c, FolderOps.require(c, n)));
    }

    // ---- messages --------------------------------------------------------------------------------

    /** All messages of a folder in UID order. */
    public List<MessageMeta> messages(long folderId) {
        return messages(folderId, 1, Long.MAX_VALUE);
    }

    /** The columns {@link #meta} reads, for queries that add their own WHERE and ORDER BY. */
    private static final String META_SELECT = """
            SELECT m.uid, m.modseq, m.flags, NULLIF(m.keywords, ''), m.internal_date, m.save_date, m.size, m.content_id
            FROM messages m""";

    /** A row of {@link #META_SELECT}; the dates as their stored bytes and no String for the (usually empty) keywords. */
    private static MessageMeta meta(java.sql.ResultSet rs) throws SQLException {
        String keywords = rs.getString(4);
        return new MessageMeta(rs.getLong(1), rs.getLong(2), MessageFlags.fromColumns(rs.getInt(3), keywords == null ? "" : keywords),
                StoredInstant.parse(rs.getBytes(5)), StoredInstant.parse(rs.getBytes(6)), rs.getLong(7), rs.getLong(8));
    }

    /**
     * What changed in a folder after {@code modseq}, read in one snapshot: messages added or with new
     * flags (in UID order), UIDs expunged, and the highest MODSEQ the snapshot has seen. What a
     * session needs to bring its view up to date without reading the whole folder.
     */
    public record Changes(List<MessageMeta> changed, List<Long> expunged, long highestModseq) {}

    public Changes changesSince(long folderId, long modseq) {
        return db.read(c -> {
            List<MessageMeta> changed = new ArrayList<>();
            long top = modseq;
            try (var ps = c.prepareStatement(META_SELECT + " WHERE m.folder_id = ? AND m.modseq > ? ORDER BY m.uid")) {
                Sqlite.bind(ps, folderId, modseq);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        MessageMeta m = meta(rs);
                        changed.add(m);
                        top = Math.max(top, m.modseq());
                    }
                }
            }
            List<Long> expunged = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT uid, modseq FROM journal WHERE folder_id = ? AND kind = 3 AND modseq > ? ORDER BY uid")) {
                Sqlite.bind(ps, folderId, modseq);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expunged.add(rs.getLong(1));
                        top = Math.max(top, rs.getLong(2));
                    }
                }
            }
            return new Changes(changed, expunged, top);
        });
    }

    /** Messages with {@code fromUid <= uid <= toUid}, in UID order. */
    public List<MessageMeta> messages(long folderId, long fromUid, long toUid) {
        return db.read(c -> {
            List<MessageMeta> out = new ArrayList<>();
            try (var ps = c.prepareStatement(META_SELECT + " WHERE m.folder_id = ? AND m.uid BETWEEN ? AND ? ORDER BY m.uid")) {
                Sqlite.bind(ps, folderId, fromUid, toUid);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.add(meta(rs));
                }
            }
            return out;
        });
    }

    /** The cached MIME structure (envelope and body structure) of a content. */
    public MessageStructure structure(long contentId) {
        return db.read(c -> SummaryOps.structure(c, contentId));
    }

    /** Reads many messages in one snapshot (FETCH, SEARCH, SORT, THREAD); close it when done. */
    public MailboxReader reader() {
        return new MailboxReader(db);
    }

    /** The message exactly as it arrived. */
    public byte[] raw(long contentId) {
        return db.read(c -> ContentOps.load(c, contentId));
    }

    /**
     * Writes the message exactly as it arrived to {@code out} and returns its size. Each part is read
     * in its own short database read and written outside it, so a slow client holds no database
     * resource and at most one attachment is in memory, however large the message.
     *
     * @throws StoreException CORRUPT when the message cannot be rebuilt, or was expunged meanwhile
     *     (which a caller that has already written a status line can only answer by closing)
     */
    public long writeRaw(long contentId, java.io.OutputStream out) throws java.io.IOException {
        ContentOps.Skeleton sk = db.read(c -> ContentOps.skeleton(c, contentId));
        long n = MessageContent.write(sk.bytes(), sha -> db.read(c -> ContentOps.blob(c, sha)), out);
        if (n != sk.size()) throw new StoreException(StoreException.Kind.CORRUPT, "message size mismatch");
        return n;
    }

    /** New mail of {@code rawBytes} must leave the disk reserve free (DISK_FULL, nothing written). */
    private void requireRoomForNewMail(long rawBytes) {
        store.disk().requireRoomFor(dev.postvault.store.DiskSpace.inMailbox(rawBytes));
    }

    /** A message to append. */
    public record NewMessage(byte[] raw, MessageFlags flags, Instant internalDate) {}

    /** Appends a message to a folder (RFC 9051 §6.3.12); OVER_QUOTA and TOO_BIG store nothing. */
    public Appended append(String folderName, byte[] raw, MessageFlags flags, Instant internalDate) {
        return appendAll(folderName, List.of(new NewMessage(raw, flags, internalDate))).getFirst();
    }

    /**
     * Appends several messages in one transaction: all or none (MULTIAPPEND, RFC 3502 §6.3.11),
     * on disk when this returns. Parsing happens before the write lock is taken.
     */
    public List<Appended> appendAll(String folderName, List<NewMessage> messages) {
        requireRoomForNewMail(messages.stream().mapToLong(m -> m.raw().length).sum());
        List<ContentOps.Prepared> prepared = new ArrayList<>();
        for (NewMessage m : messages) prepared.add(ContentOps.prepare(m.raw(), limits));
        String n = FolderNames.canonical(folderName);
        List<Appended> out = db.writeDurable(() -> { // the client forgets its copy once told OK
            Connection c = db.writer();
            Folder f = FolderOps.requireSelectable(c, n);
            MessageOps.checkQuota(c, messages.stream().mapToLong(m -> m.raw().length).sum(), quotaBytes);
            List<Appended> added = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                NewMessage m = messages.get(i);
                added.add(MessageOps.insert(c, f.id(), ContentOps.insert(c, prepared.get(i)), m.raw().length, m.flags(), m.internalDate()));
            }
            return added;
        });
        announceAdded(out);
        return out;
    }

    /** What {@link #importAll} did. */
    public record Imported(int added, int alreadyThere) {}

    /**
     * Appends messages for an import: one transaction, and a message whose exact bytes the folder
     * already holds is skipped, so running the same import twice (or again after it was killed)
     * stores each message once. Two identical messages in the source are stored once too.
     */
    public Imported importAll(String folderName, List<NewMessage> messages) {
        requireRoomForNewMail(messages.stream().mapToLong(m -> m.raw().length).sum());
        List<ContentOps.Prepared> prepared = new ArrayList<>();
        for (NewMessage m : messages) prepared.add(ContentOps.prepare(m.raw(), limits));
        String n = FolderNames.canonical(folderName);
        List<Appended> added = new ArrayList<>();
        int[] skipped = {0};
        db.writeDurable(() -> {
            Connection c = db.writer();
            Folder f = FolderOps.requireSelectable(c, n);
            for (int i = 0; i < messages.size(); i++) {
                if (Sqlite.exists(c, "SELECT 1 FROM messages m JOIN contents ct ON ct.id = m.content_id WHERE m.folder_id = ? AND ct.sha256 = ?",
                        f.id(), prepared.get(i).sha256())) {
                    skipped[0]++;
                    continue;
                }
                NewMessage m = messages.get(i);
                MessageOps.checkQuota(c, m.raw().length, quotaBytes); // usage counts the messages inserted so far
                added.add(MessageOps.insert(c, f.id(), ContentOps.insert(c, prepared.get(i)), m.raw().length, m.flags(), m.internalDate()));
            }
            return null;
        });
        announceAdded(added);
        return new Imported(added.size(), skipped[0]);
    }

    /**
     * Delivers spooled messages into INBOX in one transaction, each recorded by its spool id; a spool
     * id already recorded is skipped, so delivering the same item twice (after a crash between commit
     * and spool-file removal) stores it once. Delivery is not held to the quota: mail the MX accepted
     * is never lost. The commit is on disk, not only in the OS cache, before this returns: the spool
     * deletes its copy next. Returns the spool ids whose files may now be removed.
     */
    List<String> deliver(List<SpoolDelivery> items) {
        if (items.isEmpty()) return List.of();
        requireRoomForNewMail(items.stream().mapToLong(d -> d.raw().length).sum());
        db.lastDeliveryNanos = System.nanoTime();
        List<ContentOps.Prepared> prepared = new ArrayList<>(items.size());
        for (SpoolDelivery d : items) prepared.add(ContentOps.prepare(d.raw(), limits));
        List<Appended> added = new ArrayList<>();
        db.writeDurable(() -> { // the spool deletes its sealed copy once this returns
            Connection c = db.writer();
            Folder inbox = FolderOps.require(c, Folder.INBOX);
            for (int i = 0; i < items.size(); i++) {
                SpoolDelivery d = items.get(i);
                if (Sqlite.exists(c, "SELECT 1 FROM spool_receipts WHERE spool_id = ?", d.spoolId())) continue;
                var p = prepared.get(i);
                added.add(MessageOps.insert(c, inbox.id(), ContentOps.insert(c, p), p.raw().length, MessageFlags.NONE, d.receivedAt()));
                Sqlite.update(c, "INSERT INTO spool_receipts(spool_id, delivered_at) VALUES (?, ?)", d.spoolId(), Instant.now().toString());
            }
            return null;
        });
        announceAdded(added);
        return items.stream().map(SpoolDelivery::spoolId).toList();
    }

    /** After a commit that added messages: tell live sessions (one event, the newest), then index them. */
    private void announceAdded(List<Appended> added) {
        if (added.isEmpty()) return;
        Appended last = added.getLast();
        bus.publish(new ChangeEvent.MessagesAdded(db.aliasId, last.folderId(), last.uid(), last.modseq()));
        indexInBackground();
    }

    /** Messages stored but not yet in the full-text index. */
    public long unindexedCount() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM contents WHERE indexed = 0"); var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Whether the background pass has finished: nothing waits to be indexed and no merge is running. */
    public boolean indexIdle() {
        return !db.indexing.get() && !db.indexRequested.get() && unindexedCount() == 0;
    }

    /** At most this much of a needle is looked up: in UTF-8 (up to four octets each) it fits a window's overlap. */
    private static final int INDEXED_PREFIX_CODE_POINTS = ContentOps.CHUNK_OVERLAP / 4;

    /**
     * Contents whose indexed text may contain {@code needle} (case-insensitively): every trigram of
     * the needle must occur. A superset of the true matches, to be checked exactly by the caller;
     * contents not indexed yet, or indexed only up to {@code maxIndexedBytes}, are included, since
     * the index cannot rule them out. Empty when the needle is shorter than three characters (the
     * index cannot help; the caller scans).
     */
    public Optional<Set<Long>> textCandidates(String needle) {
        String n = needle.toLowerCase(java.util.Locale.ROOT);
        if (n.codePointCount(0, n.length()) < 3) return Optional.empty();
        StringBuilder query = new StringBuilder();
        // An index row is a window of the text (ContentOps.IndexText#chunks): only a string short
        // enough to lie inside one window is sure to have all its trigrams in one row, so a longer
        // needle is looked up by its start; where that occurs, the whole needle may.
        int[] cps = n.codePoints().limit(INDEXED_PREFIX_CODE_POINTS).toArray();
        java.util.Set<String> grams = new java.util.LinkedHashSet<>();
        for (int i = 0; i + 3 <= cps.length; i++) grams.add(new String(cps, i, 3));
        for (String g : grams) {
            if (!query.isEmpty()) query.append(" AND ");
            query.append('"').append(g.replace("\"", "\"\"")).append('"');
        }
        return Optional.of(db.read(c -> {
            Set<Long> out = new java.util.HashSet<>();
            try (var ps = c.prepareStatement("SELECT rowid FROM fts WHERE fts MATCH ?")) {
                ps.setString(1, query.toString());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.add(ContentOps.contentOfRow(rs.getLong(1)));
                }
            }
            // Two partial indexes: contents not indexed yet, and contents whose text was cut at the limit.
            try (var ps = c.prepareStatement("SELECT id FROM contents WHERE indexed = 0 UNION ALL SELECT id FROM contents WHERE indexed = 2");
                    var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out;
        }));
    }

    /**
     * Indexes up to {@code max} messages that are not yet in the full-text index: text extraction
     * runs outside the write lock, then one short transaction adds them. Returns how many were added.
     */
    public int indexPending(int max) {
        // A new content has no texts row until it is indexed; one whose index a migration dropped keeps
        // its row, and is indexed from it without parsing the message. One query reads both kinds.
        record Pending(long id, byte[] sha256, Optional<SearchTexts> stored) {}
        List<Pending> pending = db.read(c -> {
            List<Pending> out = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT c.id, c.sha256, t.header_text, t.body_text FROM contents c LEFT JOIN texts t ON t.content_id = c.id
                    WHERE c.indexed = 0 ORDER BY c.id LIMIT ?""")) {
                ps.setInt(1, max);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] header = rs.getBytes(3);
                        Optional<SearchTexts> stored = header == null ? Optional.empty()
                                : Optional.of(new SearchTexts(Packing.unpack(header), Packing.unpack(rs.getBytes(4))));
                        out.add(new Pending(rs.getLong(1), rs.getBytes(2), stored));
                    }
                }
            }
            return out;
        });
        if (pending.isEmpty()) return 0;
        List<Pending> present = new ArrayList<>(pending.size());
        List<ContentOps.Indexed> texts = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            if (p.stored().isPresent()) {
                present.add(p);
                texts.add(ContentOps.Indexed.of(p.stored().get(), limits));
                continue;
            }
            byte[] raw;
            try {
                raw = raw(p.id());
            } catch (StoreException gone) {
                if (gone.kind() == StoreException.Kind.NOT_FOUND) continue; // expunged meanwhile
                throw gone;
            }
            present.add(p);
            texts.add(ContentOps.Indexed.of(raw, limits));
        }
        return db.writeInBackground(() -> {
            int n = 0;
            for (int i = 0; i < present.size(); i++) {
                if (ContentOps.index(db.writer(), present.get(i).id(), present.get(i).sha256(), texts.get(i))) n++;
            }
            return n;
        }, SESSION_PRIORITY);
    }

    /** How long a background write waits for sessions' writes to pass before taking its turn anyway. */
    private static final java.time.Duration SESSION_PRIORITY = java.time.Duration.ofSeconds(2);

    /**
     * One step of full-text index compaction, about {@value #COMPACT_PAGES} index pages written;
     * whether there was anything to merge. See {@link ContentOps#mergeIndex}.
     */
    boolean compactIndex() {
        return db.writeInBackground(() -> ContentOps.mergeIndex(db.writer(), COMPACT_PAGES), SESSION_PRIORITY);
    }

    private static final int COMPACT_PAGES = 64;

    /**
     * Sessions count as busy this long after one last began work on the node: a client's commands
     * follow each other within milliseconds, and several clients at once leave no such gap.
     */
    private static final long FOREGROUND_QUIET_NANOS = java.time.Duration.ofMillis(50).toNanos();
    /** Contents indexed per transaction of a pass. */
    private static final int INDEX_BATCH = 64;
    /** The longest a batch of a backlog waits for sessions to pause. */
    private static final long BACKLOG_DEFER_NANOS = java.time.Duration.ofMillis(250).toNanos();
    /** Delivery counts as busy this long after its last batch; indexing waits meanwhile. */
    private static final long DELIVERY_QUIET_NANOS = java.time.Duration.ofMillis(300).toNanos();
    /** Indexing never waits longer than this in one stretch, so steady mail cannot starve it. */
    private static final long MAX_INDEX_DEFER_NANOS = java.time.Duration.ofSeconds(5).toNanos();

    /**
     * Starts a background pass that indexes everything pending and then, if it indexed anything,
     * compacts the index, unless a pass is running. It stops when nothing is left or the mailbox
     * closes; the next open or delivery resumes it (a compaction cut short resumes with the next
     * indexing). While the spool is being drained into this mailbox the pass waits (up to a few
     * seconds at a stretch): delivery and indexing compete for the same cores and the single writer,
     * and getting mail into INBOX comes first. Searches stay exact meanwhile, since unindexed
     * messages are always scanned.
     */
    public void indexInBackground() {
        db.indexRequested.set(true);
        if (db.closed || !db.indexing.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("index-" + db.aliasId).start(() -> {
            try {
                db.indexRequested.set(false);
                long waitingSince = System.nanoTime();
                boolean indexedSome = false;
                boolean backlog = false;
                while (!db.closed) {
                    // The index is derived data: it waits while the disk is down to its reserve, which
                    // is kept for logins, flags and deletions (the next write that adds mail asks again).
                    if (!store.disk().hasRoomFor(0)) break;
                    long now = System.nanoTime();
                    // Sessions come first: the index is derived data and search works without it
                    // (unindexed contents are checked exactly), so it waits for a quiet spell on the
                    // node, at most MAX_INDEX_DEFER_NANOS a batch. Under imaptest's load a pass ran
                    // beside every session's commands, on the same two cores. A backlog (the last
                    // batch was full: an import, a rebuilt index) waits at most BACKLOG_DEFER_NANOS
                    // for sessions, so a busy node still catches up in minutes, not hours; spool
                    // deliveries still hold it off the longer time.
                    boolean delivering = db.drainLock.isLocked() || now - db.lastDeliveryNanos < DELIVERY_QUIET_NANOS;
                    boolean sessionsBusy = db.sinceForegroundNanos() < FOREGROUND_QUIET_NANOS;
                    long patience = delivering || !backlog ? MAX_INDEX_DEFER_NANOS : BACKLOG_DEFER_NANOS;
                    if ((delivering || sessionsBusy) && now - waitingSince < patience) {
                        Thread.sleep(50);
                        continue;
                    }
                    // Each step is its own short transaction: index what is pending, then compact what
                    // that added (a pass that found nothing to index, as on every open, writes nothing).
                    int indexed = indexPending(INDEX_BATCH);
                    backlog = indexed == INDEX_BATCH;
                    if (indexed > 0) {
                        indexedSome = true;
                    } else if (!indexedSome || !compactIndex()) {
                        break;
                    }
                    waitingSince = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // A closed mailbox ends the pass; anything else is retried by the next pass.
            } finally {
                db.indexing.set(false);
                // A request that came in while this pass was finding nothing left would otherwise be lost.
                if (db.indexRequested.get() && !db.closed) indexInBackground();
            }
        });
    }

    /** Which of these spool ids were delivered already (a drain found them again after a crash). */
    java.util.Set<String> receipted(List<String> spoolIds) {
        if (spoolIds.isEmpty()) return java.util.Set.of();
        return db.read(c -> {
            java.util.Set<String> out = new java.util.HashSet<>();
            try (var ps = c.prepareStatement("SELECT 1 FROM spool_receipts WHERE spool_id = ?")) {
                for (String id : spoolIds) {
                    ps.setString(1, id);
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) out.add(id);
                    }
                }
            }
            return out;
        });
    }

    /** Forgets receipts whose spool records are gone (they only guard the window before removal). */
    void forgetReceipts(List<String> spoolIds) {
        if (spoolIds.isEmpty()) return;
        db.write(() -> {
            for (String id : spoolIds) Sqlite.update(db.writer(), "DELETE FROM spool_receipts WHERE spool_id = ?", id);
            return null;
        });
    }

    /** STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3). */
    public FlagUpdate storeFlags(long folderId, Collection<Long> uids, FlagMode mode, MessageFlags flags, OptionalLong unchangedSince) {
        FlagUpdate u = db.write(() -> MessageOps.storeFlags(db.writer(), folderId, uids, mode, flags, unchangedSince));
        if (!u.changed().isEmpty()) bus.publish(new ChangeEvent.FlagsChanged(db.aliasId, folderId, 0));
        return u;
    }

    /** Adds system flags (e.g. the implicit {@code \Seen} of FETCH BODY[]); returns the changed UIDs. */
    public List<Long> addFlags(long folderId, List<Long> uids, Set<SystemFlag> flags) {
        return storeFlags(folderId, uids, FlagMode.ADD, new MessageFlags(flags, new java.util.TreeSet<>()), OptionalLong.empty()).changed();
    }

    /** COPY (RFC 9051 §6.4.7) with UIDPLUS data; OVER_QUOTA copies nothing. */
    public CopyResult copy(long fromFolderId, Collection<Long> uids, String toFolder) {
        store.disk().requireRoomFor(0); // copies share the stored contents: only rows are added
        String n = FolderNames.canonical(toFolder);
        CopyResult r = db.write(() -> {
            Connection c = db.writer();
            return MessageOps.copy(c, fromFolderId, uids, FolderOps.requireSelectable(c, n), quotaBytes);
        });
        if (!r.destinationUids().isEmpty()) {
            Folder to = folder(n);
            bus.publish(new ChangeEvent.MessagesAdded(db.aliasId, to.id(), r.destinationUids().getLast(), to.highestModseq()));
        }
        return r;
    }

    /** MOVE (RFC 6851 §3.3): copy and expunge in one transaction, so no message is ever in both or neither. */
    public CopyResult move(long fromFolderId, Collection<Long> uids, String toFolder) {
        String n = FolderNames.canonical(toFolder);
        CopyResult r = db.write(() -> {
            Connection c = db.writer();
            Folder to = FolderOps.requireSelectable(c, n);
            CopyResult copied = MessageOps.copy(c, fromFolderId, uids, to, 0);
            MessageOps.remove(c, fromFolderId, copied.sourceUids(), limits);
            return copied;
        });
        if (!r.destinationUids().isEmpty()) {
            Folder to = folder(n);
            bus.publish(new ChangeEvent.MessagesAdded(db.aliasId, to.id(), r.destinationUids().getLast(), to.highestModseq()));
            bus.publish(new ChangeEvent.MessagesExpunged(db.aliasId, fromFolderId, 0));
        }
        return r;
    }

    /**
     * Removes the folder's messages flagged {@code \Deleted} (RFC 9051 §6.4.3), or only those among
     * {@code uids} (UID EXPUNGE, RFC 4315 §2.1). Returns the expunged UIDs in ascending order.
     */
    public List<Long> expungeDeleted(long folderId, Optional<Set<Long>> uids) {
        List<Long> gone = db.write(() -> {
            Connection c = db.writer();
            List<Long> victims = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT uid FROM messages WHERE folder_id = ? AND (flags & ?) != 0 ORDER BY uid")) {
                Sqlite.bind(ps, folderId, MessageFlags.of(SystemFlag.DELETED).bits());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (uids.isEmpty() || uids.get().contains(rs.getLong(1))) victims.add(rs.getLong(1));
                    }
                }
            }
            return MessageOps.remove(c, folderId, victims, limits);
        });
        if (!gone.isEmpty()) bus.publish(new ChangeEvent.MessagesExpunged(db.aliasId, folderId, 0));
        return gone;
    }

    /**
     * Removes exactly these messages, whatever their flags (POP3's UPDATE state, RFC 1939 §6); UIDs
     * that are gone already are skipped. Returns the removed UIDs in ascending order.
     */
    public List<Long> expunge(long folderId, Collection<Long> uids) {
        List<Long> gone = db.write(() -> MessageOps.remove(db.writer(), folderId, uids, limits));
        if (!gone.isEmpty()) bus.publish(new ChangeEvent.MessagesExpunged(db.aliasId, folderId, 0));
        return gone;
    }

    /**
     * UIDs expunged from a folder after {@code modseq}, from the change journal, which is kept for
     * the folder's lifetime: QRESYNC's VANISHED (EARLIER) however old the client's state (RFC 7162 §3.2.5).
     */
    public List<Long> expungedSince(long folderId, long modseq) {
        return db.read(c -> {
            List<Long> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT DISTINCT uid FROM journal WHERE folder_id = ? AND kind = 3 AND modseq > ? ORDER BY uid")) {
                Sqlite.bind(ps, folderId, modseq);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** Bytes used by all messages (what QUOTA's STORAGE resource counts). */
    public long usedBytes() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT value FROM counters WHERE name = 'used_bytes'"); var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Writes a consistent copy of this mailbox to {@code dest} for a backup (ARCHITECTURE.md §5):
     * writes held off, {@code wal_checkpoint(PASSIVE)}, {@code VACUUM INTO}. The copy is encrypted under
     * the same DEK. Nothing is written when the checkpointed file hashes to {@code previousSourceSha256}.
     * A failure (a full disk) removes the partial copy and leaves the mailbox untouched.
     */
    public Snapshots.Result snapshot(java.nio.file.Path dest, Optional<byte[]> previousSourceSha256) {
        return db.exclusive(w -> Snapshots.snapshot(w, db.file, dest, previousSourceSha256));
    }

    /**
     * Writes a copy of the whole mailbox that opens with {@code passphrase} alone in any
     * SQLite3MultipleCiphers tool ({@code cipher=chacha20}): the user's own export. A failure leaves
     * no file at {@code dest}.
     */
    public void exportCopy(java.nio.file.Path dest, String passphrase) {
        snapshot(dest, Optional.empty());
        try {
            Snapshots.rekeyToPassphrase(store.gate(), dest, db.dek, passphrase);
        } catch (RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(dest);
            } catch (java.io.IOException ignored) {
                // reported below
            }
            throw e;
        }
    }

    /** Opens a backup copy with this mailbox's key and checks its integrity; returns its schema version. */
    public int verifyCopy(java.nio.file.Path copy) {
        return store.verifyCopy(copy, db.dek);
    }

    /** The alias's hybrid keypair; the private half lives only in this encrypted file. */
    public HybridKem.KeyPairs aliasKeys() {
        return db.read(c -> new HybridKem.KeyPairs(
                HybridKem.PublicKeys.decode(meta(c, MailboxStore.META_PUBLIC_KEY)),
                HybridKem.PrivateKeys.decode(meta(c, MailboxStore.META_PRIVATE_KEY))));
    }

    /**
     * Moves what the spool holds for this alias into INBOX ({@link dev.postvault.store.spool.Spool#drain}).
     * The operations the drain needs are handed to the spool here and are not public on the mailbox:
     * a protocol session holds a mailbox, but only the store's login path holds the spool.
     */
    public int drainSpool(dev.postvault.store.spool.Spool spool) {
        return spool.drain(new dev.postvault.store.spool.DrainTarget() {
            @Override
            public String aliasId() {
                return db.aliasId;
            }

            @Override
            public Lock drainLock() {
                return db.drainLock;
            }

            @Override
            public HybridKem.KeyPairs aliasKeys() {
                return Mailbox.this.aliasKeys();
            }

            @Override
            public java.util.Set<String> receipted(List<String> spoolIds) {
                return Mailbox.this.receipted(spoolIds);
            }

            @Override
            public void deliver(List<SpoolDelivery> items) {
                Mailbox.this.deliver(items);
            }

            @Override
            public void forgetReceipts(List<String> spoolIds) {
                Mailbox.this.forgetReceipts(spoolIds);
            }

            @Override
            public dev.postvault.store.DiskSpace disk() {
                return store.disk();
            }
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) store.release(db);
    }

    private static List<Long> uids(Connection c, long folderId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT uid FROM messages WHERE folder_id = ? ORDER BY uid")) {
            ps.setLong(1, folderId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
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
