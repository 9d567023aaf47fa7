package dev.postvault.store.mailbox;

import dev.postvault.crypto.Bytes;
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

    public MailboxStore(Path dir, DbGate gate, ChangeBus bus, MailboxLimits limits) {
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

    static long insertFolder(Connection c, String name, Optional<SpecialUse> use) throws SQLException {
        long now = Instant.now().getEpochSecond();
        // RFC 9051 §2.3.1.1: a re-created name must get a new UIDVALIDITY, even within the same second.
        long validity;
        try (var ps = c.prepareStatement("""
                INSERT INTO counters(name, value) VALUES ('uidvalidity', ?)
                ON CONFLICT(name) DO UPDATE SET value = max(value + 1, excluded.value) RETURNING value""")) {
            ps.setLong(1, now);
            try (var rs = ps.executeQuery()) {
                rs.next();
                validity = rs.getLong(1);
            }
        }
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
        synchronized (open) {
            db = open.get(aliasId);
            if (db != null && !db.dek.equals(dek)) {
                throw new StoreException(StoreException.Kind.CORRUPT, "database cannot be decrypted");
            }
            if (db == null) {
                if (!Files.exists(f)) throw StoreException.notFound("no mailbox file");
                db = new MailboxDb(aliasId, f, SecretKey32.of(dek.bytes()), gate, limits.maxReadConnections());
                open.put(aliasId, db);
            }
            db.refs++;
        }
        Mailbox m = new Mailbox(this, db, bus, limits);
        m.indexInBackground(); // resume indexing a crash or a close interrupted
        return m;
    }

    void release(MailboxDb db) {
        synchronized (open) {
            if (--db.refs > 0) return;
            open.remove(db.aliasId, db);
        }
        db.close();
    }

    /** Number of mailbox files open on this node (for metrics and tests). */
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

    /** Deletes the mailbox file and its WAL; refuses while sessions on this node hold it open. */
    public void delete(String aliasId) {
        synchronized (open) {
            if (open.containsKey(aliasId)) throw new StoreException(StoreException.Kind.IN_USE, "mailbox is open");
        }
        Path f = file(aliasId);
        try {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot delete mailbox file", e);
        }
    }

    @Override
    public void close() {
        List<MailboxDb> all;
        synchronized (open) {
            all = List.copyOf(open.values());
            open.clear();
        }
        all.forEach(MailboxDb::close);
    }
}
