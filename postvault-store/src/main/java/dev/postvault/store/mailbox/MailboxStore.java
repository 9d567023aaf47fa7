package dev.postvault.store.mailbox;

import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.Durability;
import dev.postvault.crypto.HybridKem;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.DbGate;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import dev.postvault.store.events.ChangeBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's mailbox files: {@code <data>/mailboxes/<aliasId>.sqlite}. Creates them, and opens them
 * with a DEK into {@link Mailbox} handles that share one {@link MailboxDb} per alias.
 */
public final class MailboxStore implements AutoCloseable {
    static final String META_PRIVATE_KEY = "alias_private_key";
    static final String META_PUBLIC_KEY = "alias_public_key";

    private record DefaultFolder(String name, Optional<SpecialUse> use) {}

    private static final List<DefaultFolder> DEFAULT_FOLDERS = List.of(
            new DefaultFolder(Folder.INBOX, Optional.empty()),
            new DefaultFolder("Drafts", Optional.of(SpecialUse.DRAFTS)),
            new DefaultFolder("Sent", Optional.of(SpecialUse.SENT)),
            new DefaultFolder("Archive", Optional.of(SpecialUse.ARCHIVE)),
            new DefaultFolder("Junk", Optional.of(SpecialUse.JUNK)),
            new DefaultFolder("Trash", Optional.of(SpecialUse.TRASH)));

    private final Path dir;
    private final DbGate gate;
    private final ChangeBus bus;
    private final MailboxLimits limits;
    private final Map<String, MailboxDb> open = new HashMap<>();
    /**
     * Files whose last handle is being closed (guarded by {@code open}). An open of such a file waits
     * for the close: the close gives free pages back and truncates the WAL with its own writer
     * connection, and a second writer beside it would get SQLITE_BUSY. One writer per file, always.
     */
    private final java.util.Set<String> closing = new java.util.HashSet<>();
    private final java.util.Set<String> withdrawn = new java.util.HashSet<>();
    /**
     * Files open with no handle ({@link MailboxLimits#linger}), by alias, with when their last handle
     * closed (System.nanoTime), longest idle first (guarded by {@code open}).
     */
    private final java.util.LinkedHashMap<String, Long> idle = new java.util.LinkedHashMap<>();
    /** Closes lingering files once their time is up; null while none linger (guarded by {@code open}). */
    private Thread reaper;
    private boolean shut;
    /** When a session last began work on any mailbox here; background indexing yields to it. */
    private final java.util.concurrent.atomic.AtomicLong foreground = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - (1L << 40));

    private final dev.postvault.store.DiskSpace disk;

    /** A store whose new mail leaves the automatic reserve free ({@link dev.postvault.store.DiskSpace#AUTO}). */
    public MailboxStore(Path dir, DbGate gate, ChangeBus bus, MailboxLimits limits) {
        this(dir, gate, bus, limits, dev.postvault.store.DiskSpace.of(dir, dev.postvault.store.DiskSpace.AUTO));
    }

    public MailboxStore(Path dir, DbGate gate, ChangeBus bus, MailboxLimits limits, dev.postvault.store.DiskSpace disk) {
        this.disk = disk;
        this.dir = dir;
        this.gate = gate;
        this.bus = bus;
        this.limits = limits;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String aliasId) {
        if (!aliasId.matches("[0-9a-f]{32}")) throw StoreException.invalid("bad alias id");
        return dir.resolve(aliasId + ".sqlite");
    }

    public boolean exists(String aliasId) {
        return Files.exists(file(aliasId));
    }

    /** Creates a new mailbox file holding the alias's private key and the default folders. */
    public void create(String aliasId, SecretKey32 dek, HybridKem.KeyPairs keys) {
        Path f = file(aliasId);
        if (Files.exists(f)) throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "mailbox exists");
        gate.run(() -> {
            try (Connection c = Sqlite.open(f, dek)) {
                Schema.migrate(c);
                Sqlite.inTransaction(c, () -> {
                    Sqlite.update(c, "INSERT INTO meta(key, value) VALUES (?, ?)", META_PRIVATE_KEY, keys.privateKeys().encode());
                    Sqlite.update(c, "INSERT INTO meta(key, value) VALUES (?, ?)", META_PUBLIC_KEY, keys.publicKeys().encode());
                    Sqlite.update(c, "INSERT INTO meta(key, value) VALUES ('created_at', ?)", Instant.now().toString());
                    for (DefaultFolder d : DEFAULT_FOLDERS) {
                        insertFolder(c, d.name(), d.use());
                        FolderOps.subscribe(c, d.name(), true);
                    }
                    return null;
                });
            }
            return null;
        });
    }

    /**
     * A UIDVALIDITY never handed out before in this file (RFC 9051 §2.3.1.1): a re-created name, or a
     * folder whose UIDs may be reused after a restore, must get a new one, even within the same second.
     */
    static long nextUidValidity(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO counters(name, value) VALUES ('uidvalidity', ?)
                ON CONFLICT(name) DO UPDATE SET value = max(value + 1, excluded.value) RETURNING value""")) {
            ps.setLong(1, Instant.now().getEpochSecond());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long insertFolder(Connection c, String name, Optional<SpecialUse> use) throws SQLException {
        long validity = nextUidValidity(c);
        try (var ps = c.prepareStatement("""
                INSERT INTO folders(name, special_use, uidvalidity, object_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id""")) {
            Sqlite.bind(ps, name, use.map(Enum::name).orElse(null), validity & 0xFFFF_FFFFL, "F" + Bytes.randomId(), Instant.now().toString());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Opens the alias's mailbox with its DEK. A wrong DEK fails with CORRUPT ("cannot be decrypted")
     * without changing the file. Callers close the handle; the file closes when the last one does.
     */
    public Mailbox open(String aliasId, SecretKey32 dek) {
        Path f = file(aliasId);
        MailboxDb db;
        boolean opened = false;
        synchronized (open) {
            awaitClose(aliasId);
            db = open.get(aliasId);
            if (db != null && !db.dek.equals(dek)) {
                throw new StoreException(StoreException.Kind.CORRUPT, "database cannot be decrypted");
            }
            if (db != null) idle.remove(aliasId);
            if (db == null) {
                if (withdrawn.contains(aliasId)) throw new StoreException(StoreException.Kind.TEMPORARY, "mailbox is being restored; try again shortly");
                if (!Files.exists(f)) throw StoreException.notFound("no mailbox file");
                db = new MailboxDb(aliasId, f, SecretKey32.of(dek.bytes()), gate, limits.maxReadConnections(), limits.pageCacheKib(), limits.keyCacheEntries(),
                        foreground);
                try {
                    renumberIfRestored(db, f);
                } catch (RuntimeException e) {
                    db.close();
                    throw e;
                }
                open.put(aliasId, db);
                opened = true;
            }
            db.refs++;
        }
        Mailbox m = new Mailbox(this, db, bus, limits);
        // Resume indexing that a crash or a close interrupted. A file already open here has its pass
        // started by whatever added the contents; an open with nothing pending starts no thread and
        // no reader connection.
        if (opened && db.unindexedAtOpen) m.indexInBackground();
        if (opened) db.warmReader();
        return m;
    }

    /**
     * The last handle of a file closes it, after {@link MailboxLimits#linger} when that is not zero:
     * an open within it takes the file as it is. Beyond {@link MailboxLimits#maxLingering} idle files
     * the longest idle one closes now.
     */
    void release(MailboxDb db) {
        List<MailboxDb> toClose = new java.util.ArrayList<>(1);
        synchronized (open) {
            if (--db.refs > 0) return;
            if (open.get(db.aliasId) != db) {
                // withdrawn or closing already: nothing lingers
            } else if (shut || limits.linger().isZero() || limits.maxLingering() == 0 || withdrawn.contains(db.aliasId)) {
                toClose.add(detach(db.aliasId));
            } else {
                idle.put(db.aliasId, System.nanoTime());
                while (idle.size() > limits.maxLingering()) toClose.add(detach(idle.keySet().iterator().next()));
                if (reaper == null) reaper = Thread.ofVirtual().name("mailbox-linger").start(this::reap);
            }
        }
        toClose.forEach(this::closeDetached);
    }

    /** Closes what lingered its time, until nothing lingers. */
    private void reap() {
        long lingerNanos = limits.linger().toNanos();
        while (true) {
            List<MailboxDb> due = new java.util.ArrayList<>();
            long sleepNanos;
            synchronized (open) {
                long now = System.nanoTime();
                for (var it = idle.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (now - e.getValue() < lingerNanos) continue;
                    it.remove();
                    due.add(detach(e.getKey()));
                }
                if (idle.isEmpty() || shut) {
                    reaper = null;
                    sleepNanos = -1;
                } else {
                    sleepNanos = idle.values().stream().mapToLong(t -> t + lingerNanos - now).min().orElse(lingerNanos);
                }
            }
            due.forEach(this::closeDetached);
            if (sleepNanos < 0) return;
            try {
                Thread.sleep(java.time.Duration.ofNanos(Math.max(sleepNanos, 1_000_000)));
            } catch (InterruptedException e) {
                synchronized (open) {
                    reaper = null;
                }
                return;
            }
        }
    }

    /**
     * Takes a file out of {@code open} and marks it closing, in one step under the monitor, so that no
     * open in between starts a second writer on it; {@link #closeDetached} then closes it.
     */
    private MailboxDb detach(String aliasId) {
        MailboxDb db = open.remove(aliasId);
        idle.remove(aliasId);
        if (db != null) closing.add(aliasId);
        return db;
    }

    /** Closes a detached file; opens of the same file wait until it is done. */
    private void closeDetached(MailboxDb db) {
        if (db == null) return;
        try {
            db.close();
        } finally {
            synchronized (open) {
                closing.remove(db.aliasId);
                open.notifyAll();
            }
        }
    }

    /** Closes the file now if it is open only because it lingers; no effect while a handle holds it. */
    private void closeIfIdle(String aliasId) {
        MailboxDb db = null;
        synchronized (open) {
            if (idle.containsKey(aliasId)) db = detach(aliasId);
        }
        closeDetached(db);
    }

    /** Waits, holding the monitor of {@code open} between checks, until no close of the file runs. */
    private void awaitClose(String aliasId) {
        boolean interrupted = false;
        while (closing.contains(aliasId)) {
            try {
                open.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Number of mailbox files open on this node, lingering ones included (for metrics and tests). */
    public int openCount() {
        synchronized (open) {
            return open.size();
        }
    }

    /** Alias ids that have a mailbox file here, with the file's last modification time. */
    public java.util.Map<String, java.time.Instant> fileIds() {
        java.util.Map<String, java.time.Instant> out = new java.util.HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.matches("[0-9a-f]{32}\\.sqlite")) out.put(n.substring(0, 32), Files.getLastModifiedTime(f).toInstant());
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot list mailboxes", e);
        }
        return out;
    }

    /**
     * Copies a mailbox that no session holds, without its key: the file is ciphertext already (one that
     * only lingers open is closed first). Refused (IN_USE) while a handle holds it here or has WAL frames not yet checkpointed; TEMPORARY when it changed
     * during the copy. Nothing is written when it hashes to {@code previousSha256}.
     */
    public Snapshots.Result copyDormant(String aliasId, Path dest, Optional<byte[]> previousSha256) {
        closeIfIdle(aliasId);
        synchronized (open) {
            if (inUse(aliasId)) throw new StoreException(StoreException.Kind.IN_USE, "mailbox is open");
        }
        try {
            return Snapshots.copyQuiet(file(aliasId), dest, previousSha256);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "copying the mailbox failed: " + e.getMessage(), e);
        }
    }

    public MailboxLimits limits() {
        return limits;
    }

    DbGate gate() {
        return gate;
    }

    /** Free space and the reserve that new mail may not use. */
    public dev.postvault.store.DiskSpace disk() {
        return disk;
    }

    /** Opens a backup copy with the key and checks its integrity; returns its schema version. */
    public int verifyCopy(Path copy, SecretKey32 dek) {
        return Snapshots.verify(gate, copy, dek);
    }

    /**
     * Another handle on a mailbox some session already has open (so its key is in memory), for the
     * backup schedule; empty when it is not open here.
     */
    public Optional<Mailbox> openIfOpen(String aliasId) {
        MailboxDb db;
        synchronized (open) {
            db = open.get(aliasId);
            if (db == null) return Optional.empty();
            idle.remove(aliasId);
            db.refs++;
        }
        return Optional.of(new Mailbox(this, db, bus, limits));
    }

    /**
     * Puts {@code replacement} (on the same file system) in place of the alias's mailbox file: the old
     * file (with any WAL) is renamed aside, the new one renamed in, the directory synced, and only then
     * is the old one deleted. Refused while the mailbox is open here. A crash at any point is finished
     * by {@link #recoverReplacements()}: with the new file in place the old one is dropped, otherwise
     * the old one comes back.
     */
    public void replace(String aliasId, Path replacement) {
        closeIfIdle(aliasId);
        synchronized (open) {
            if (inUse(aliasId)) throw new StoreException(StoreException.Kind.IN_USE, "mailbox is open");
            Path f = file(aliasId);
            try {
                recoverReplacement(f);
                Path aside = f.resolveSibling(f.getFileName() + OLD_SUFFIX);
                for (String suffix : new String[] {"-wal", "-shm"}) {
                    Files.deleteIfExists(f.resolveSibling(f.getFileName() + OLD_SUFFIX + suffix));
                    Path side = f.resolveSibling(f.getFileName() + suffix);
                    if (Files.exists(side)) Files.move(side, f.resolveSibling(f.getFileName() + OLD_SUFFIX + suffix));
                }
                Files.writeString(f.resolveSibling(f.getFileName() + RESTORED_SUFFIX), "");
                if (Files.exists(f)) Files.move(f, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Durability.fsyncDirectoryIfSupported(dir);
                Files.move(replacement, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Durability.fsyncDirectoryIfSupported(dir);
                deleteAside(f);
            } catch (IOException e) {
                throw new StoreException(StoreException.Kind.TEMPORARY, "replacing the mailbox file failed: " + e.getMessage(), e);
            }
        }
    }

    private static final String OLD_SUFFIX = ".replaced";
    private static final String RESTORED_SUFFIX = ".restored";

    /**
     * After a restore, UIDs handed out since the version was taken would be handed out again for other
     * messages; every folder therefore gets a new UIDVALIDITY (RFC 9051 §2.3.1.1), which tells clients
     * to forget what they cached. The marker file is written before the swap and removed here.
     */
    private static void renumberIfRestored(MailboxDb db, Path f) {
        Path marker = f.resolveSibling(f.getFileName() + RESTORED_SUFFIX);
        if (!Files.exists(marker)) return;
        db.write(() -> {
            Connection c = db.writer();
            for (Folder folder : FolderOps.all(c)) {
                Sqlite.update(c, "UPDATE folders SET uidvalidity = ? WHERE id = ?", nextUidValidity(c) & 0xFFFF_FFFFL, folder.id());
            }
            return null;
        });
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot remove the restore marker", e);
        }
    }

    /** Finishes replacements a crash interrupted (see {@link #replace}); run when the node opens. */
    public int recoverReplacements() {
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{32}\\.sqlite" + java.util.regex.Pattern.quote(OLD_SUFFIX))) {
                    recoverReplacement(p.resolveSibling(name.substring(0, name.length() - OLD_SUFFIX.length())));
                    n++;
                }
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot list mailboxes", e);
        }
        return n;
    }

    private void recoverReplacement(Path f) throws IOException {
        Path aside = f.resolveSibling(f.getFileName() + OLD_SUFFIX);
        if (!Files.exists(aside)) return;
        if (!Files.exists(f)) {
            Files.move(aside, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // the new file never arrived: keep the old one
            Files.deleteIfExists(f.resolveSibling(f.getFileName() + RESTORED_SUFFIX));
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path side = f.resolveSibling(f.getFileName() + OLD_SUFFIX + suffix);
                if (Files.exists(side)) Files.move(side, f.resolveSibling(f.getFileName() + suffix));
            }
            Durability.fsyncDirectoryIfSupported(dir);
        } else {
            deleteAside(f);
        }
    }

    private static void deleteAside(Path f) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(f.resolveSibling(f.getFileName() + OLD_SUFFIX + suffix));
    }

    /**
     * Takes a mailbox away from this node for a restore: sessions are told
     * ({@link dev.postvault.store.events.ChangeEvent.MailboxWithdrawn}), the file is closed (after any
     * write in progress), and opening it fails with TEMPORARY until {@link #giveBack}.
     */
    public void withdraw(String aliasId) {
        MailboxDb db;
        synchronized (open) {
            withdrawn.add(aliasId);
            db = detach(aliasId);
        }
        bus.publish(new dev.postvault.store.events.ChangeEvent.MailboxWithdrawn(aliasId));
        closeDetached(db);
    }

    public void giveBack(String aliasId) {
        synchronized (open) {
            withdrawn.remove(aliasId);
        }
    }

    /** Open here, or its last handle still closing; callers hold the monitor of {@code open}. */
    private boolean inUse(String aliasId) {
        return open.containsKey(aliasId) || closing.contains(aliasId);
    }

    /** True when this node has the alias's mailbox open. */
    public boolean isOpen(String aliasId) {
        synchronized (open) {
            return open.containsKey(aliasId);
        }
    }

    /** Deletes the mailbox file and its WAL; refuses while sessions on this node hold it open. */
    public void delete(String aliasId) {
        closeIfIdle(aliasId);
        synchronized (open) {
            if (inUse(aliasId)) throw new StoreException(StoreException.Kind.IN_USE, "mailbox is open");
        }
        Path f = file(aliasId);
        try {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal", RESTORED_SUFFIX}) {
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot delete mailbox file", e);
        }
    }

    @Override
    public void close() {
        List<MailboxDb> all;
        Thread r;
        synchronized (open) {
            shut = true;
            all = List.copyOf(open.values());
            open.clear();
            idle.clear();
            r = reaper;
        }
        if (r != null) r.interrupt();
        all.forEach(MailboxDb::close);
    }
}
