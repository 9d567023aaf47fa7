package dev.postvault.store.control;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.crypto.ServerKey;
import dev.postvault.store.DbGate;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The control plane on embedded SQLite, encrypted (SQLite3MultipleCiphers, ChaCha20) under the
 * server subkey {@code control-plane}. File: {@code <data>/control.sqlite}.
 */
public final class SqliteControlPlane implements ControlPlane {
    public static final String FILE_NAME = "control.sqlite";
    private static final int SCHEMA_VERSION = 4;

    private final Connection db;
    private final DbGate gate;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteControlPlane(Connection db, DbGate gate) {
        this.db = db;
        this.gate = gate;
    }

    public static SqliteControlPlane open(Path dataDir, ServerKey serverKey, DbGate gate) {
        var key = serverKey.subkey("control-plane");
        Connection c;
        try {
            c = Sqlite.open(dataDir.resolve(FILE_NAME), key);
        } finally {
            key.destroy();
        }
        var cp = new SqliteControlPlane(c, gate);
        cp.migrate();
        return cp;
    }

    /** SQLite's synchronous level of the connection (2 = FULL); for tests. */
    int synchronousLevel() {
        return locked(() -> {
            try (var s = db.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private void migrate() {
        // Every write here is an administrator's command (a domain, an alias, a password) that the
        // CLI reports done: at FULL the WAL is fsynced at each commit, so the report survives a power
        // loss too (Sqlite.open's NORMAL only survives a crash of the process). Writes are rare.
        locked(() -> {
            Sqlite.exec(db, "PRAGMA synchronous=FULL");
            return null;
        });
        locked(() -> Sqlite.inTransaction(db, () -> {
            int v = Sqlite.userVersion(db);
            if (v > SCHEMA_VERSION) {
                throw new StoreException(StoreException.Kind.INVALID,
                        "control plane schema " + v + " is newer than this server (" + SCHEMA_VERSION + ")");
            }
            if (v < 1) {
                Sqlite.exec(db, """
                        CREATE TABLE domains(
                          name TEXT PRIMARY KEY,
                          created_at TEXT NOT NULL) WITHOUT ROWID""");
                Sqlite.exec(db, """
                        CREATE TABLE aliases(
                          id TEXT PRIMARY KEY,
                          address TEXT NOT NULL UNIQUE,
                          domain TEXT NOT NULL REFERENCES domains(name),
                          cred_version INTEGER NOT NULL,
                          salt BLOB NOT NULL,
                          argon2 TEXT NOT NULL,
                          verifier BLOB NOT NULL,
                          wrapped_dek BLOB NOT NULL,
                          recovery_wrapped_dek BLOB,
                          public_key BLOB NOT NULL,
                          quota_bytes INTEGER NOT NULL,
                          created_at TEXT NOT NULL)""");
                Sqlite.exec(db, "CREATE INDEX aliases_domain ON aliases(domain, address)");
            }
            if (v < 2) {
                // The addresses an administrator lets an alias send as (submission), besides its own.
                Sqlite.exec(db, """
                        CREATE TABLE send_as(
                          alias_id TEXT NOT NULL,
                          address TEXT NOT NULL,
                          PRIMARY KEY(alias_id, address)) WITHOUT ROWID""");
            }
            if (v < 3) {
                // DKIM keys per domain; the private half sealed under the server key by the caller.
                Sqlite.exec(db, """
                        CREATE TABLE dkim_keys(
                          domain TEXT NOT NULL,
                          selector TEXT NOT NULL,
                          algorithm TEXT NOT NULL,
                          sealed_private BLOB NOT NULL,
                          public_key BLOB NOT NULL,
                          created_at TEXT NOT NULL,
                          active INTEGER NOT NULL,
                          PRIMARY KEY(domain, selector)) WITHOUT ROWID""");
            }
            if (v < 4) {
                // Other domains' MTA-STS policies as fetched (outbound delivery's cache, RFC 8461 §5.1).
                Sqlite.exec(db, """
                        CREATE TABLE mta_sts_policies(
                          domain TEXT PRIMARY KEY,
                          id TEXT NOT NULL,
                          body BLOB NOT NULL,
                          fetched_at TEXT NOT NULL) WITHOUT ROWID""");
            }
            Sqlite.setUserVersion(db, SCHEMA_VERSION);
            return null;
        }));
    }

    @Override
    public void addDomain(String domain) {
        locked(() -> {
            if (Sqlite.update(db, "INSERT OR IGNORE INTO domains(name, created_at) VALUES (?, ?)", domain, Instant.now().toString()) == 0) {
                throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "domain exists");
            }
            return null;
        });
    }

    @Override
    public void removeDomain(String domain) {
        locked(() -> Sqlite.inTransaction(db, () -> {
            if (count("SELECT count(*) FROM aliases WHERE domain = ?", domain) > 0) {
                throw new StoreException(StoreException.Kind.IN_USE, "domain still has aliases");
            }
            Sqlite.update(db, "DELETE FROM dkim_keys WHERE domain = ?", domain);
            if (Sqlite.update(db, "DELETE FROM domains WHERE name = ?", domain) == 0) throw StoreException.notFound("no such domain");
            return null;
        }));
    }

    @Override
    public List<String> domains() {
        return locked(() -> {
            List<String> out = new ArrayList<>();
            try (var ps = db.prepareStatement("SELECT name FROM domains ORDER BY name"); var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    @Override
    public boolean hasDomain(String domain) {
        return locked(() -> count("SELECT count(*) FROM domains WHERE name = ?", domain) > 0);
    }

    @Override
    public void addAlias(AliasRecord a) {
        locked(() -> Sqlite.inTransaction(db, () -> {
            if (count("SELECT count(*) FROM domains WHERE name = ?", a.domain()) == 0) throw StoreException.notFound("no such domain");
            if (count("SELECT count(*) FROM aliases WHERE address = ? OR id = ?", a.address(), a.id()) > 0) {
                throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "alias exists");
            }
            Credentials c = a.credentials();
            Sqlite.update(db, """
                    INSERT INTO aliases(id, address, domain, cred_version, salt, argon2, verifier, wrapped_dek,
                      recovery_wrapped_dek, public_key, quota_bytes, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    a.id(), a.address(), a.domain(), c.version(), c.salt(), c.argon2().encode(), c.verifier(),
                    c.wrappedDek(), c.recoveryWrappedDek().orElse(null), a.publicKey(), a.quotaBytes(), a.createdAt().toString());
            return null;
        }));
    }

    @Override
    public Optional<AliasRecord> alias(String address) {
        return locked(() -> queryOne(BY_ADDRESS, address));
    }

    @Override
    public Optional<AliasRecord> aliasById(String id) {
        return locked(() -> queryOne(BY_ID, id));
    }

    @Override
    public List<AliasRecord> aliases(Optional<String> domain) {
        return locked(() -> {
            String sql = domain.isPresent() ? "SELECT " + ALIAS_COLUMNS + " FROM aliases WHERE domain = ? ORDER BY address"
                    : "SELECT " + ALIAS_COLUMNS + " FROM aliases ORDER BY address";
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                if (domain.isPresent()) ps.setString(1, domain.get());
                List<AliasRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(read(rs));
                }
                return out;
            }
        });
    }

    @Override
    public void removeAlias(String address) {
        locked(() -> Sqlite.inTransaction(db, () -> {
            Sqlite.update(db, "DELETE FROM send_as WHERE alias_id IN (SELECT id FROM aliases WHERE address = ?)", address);
            if (Sqlite.update(db, "DELETE FROM aliases WHERE address = ?", address) == 0) throw StoreException.notFound("no such alias");
            return null;
        }));
    }

    @Override
    public void allowSendAs(String aliasId, String address) {
        locked(() -> Sqlite.inTransaction(db, () -> {
            if (count("SELECT count(*) FROM aliases WHERE id = ?", aliasId) == 0) throw StoreException.notFound("no such alias");
            Sqlite.update(db, "INSERT OR IGNORE INTO send_as(alias_id, address) VALUES (?, ?)", aliasId, address);
            return null;
        }));
    }

    @Override
    public void revokeSendAs(String aliasId, String address) {
        locked(() -> {
            if (Sqlite.update(db, "DELETE FROM send_as WHERE alias_id = ? AND address = ?", aliasId, address) == 0) {
                throw StoreException.notFound("that address was not allowed");
            }
            return null;
        });
    }

    @Override
    public void rotateDkimKeys(String domain, List<DkimKeyRecord> fresh) {
        locked(() -> Sqlite.inTransaction(db, () -> {
            if (count("SELECT count(*) FROM domains WHERE name = ?", domain) == 0) throw StoreException.notFound("no such domain");
            Sqlite.update(db, "UPDATE dkim_keys SET active = 0 WHERE domain = ?", domain);
            for (DkimKeyRecord k : fresh) {
                if (!k.domain().equals(domain)) throw StoreException.invalid("a key of another domain");
                Sqlite.update(db, """
                        INSERT INTO dkim_keys(domain, selector, algorithm, sealed_private, public_key, created_at, active)
                        VALUES (?, ?, ?, ?, ?, ?, 1)""", domain, k.selector(), k.algorithm(), k.sealedPrivate(), k.publicKey(),
                        k.createdAt().toString());
            }
            return null;
        }));
    }

    @Override
    public void saveMtaStsPolicy(CachedPolicy p) {
        locked(() -> Sqlite.update(db, "INSERT OR REPLACE INTO mta_sts_policies(domain, id, body, fetched_at) VALUES (?, ?, ?, ?)",
                p.domain(), p.id(), p.body(), p.fetchedAt().toString()));
    }

    @Override
    public Optional<CachedPolicy> mtaStsPolicy(String domain) {
        return locked(() -> {
            try (var ps = db.prepareStatement("SELECT id, body, fetched_at FROM mta_sts_policies WHERE domain = ?")) {
                ps.setString(1, domain);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new CachedPolicy(domain, rs.getString(1), rs.getBytes(2), Instant.parse(rs.getString(3))))
                            : Optional.<CachedPolicy>empty();
                }
            }
        });
    }

    @Override
    public List<DkimKeyRecord> dkimKeys(String domain) {
        return locked(() -> {
            List<DkimKeyRecord> out = new ArrayList<>();
            try (var ps = db.prepareStatement("""
                    SELECT selector, algorithm, sealed_private, public_key, created_at, active FROM dkim_keys
                    WHERE domain = ? ORDER BY created_at DESC, selector""")) {
                ps.setString(1, domain);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DkimKeyRecord(domain, rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4),
                                Instant.parse(rs.getString(5)), rs.getInt(6) == 1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> sendAs(String aliasId) {
        return locked(() -> {
            List<String> out = new ArrayList<>();
            try (var ps = db.prepareStatement("SELECT address FROM send_as WHERE alias_id = ? ORDER BY address")) {
                ps.setString(1, aliasId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public boolean replaceCredentials(String aliasId, long expectedVersion, Credentials n) {
        return locked(() -> Sqlite.update(db, """
                UPDATE aliases SET cred_version = ?, salt = ?, argon2 = ?, verifier = ?, wrapped_dek = ?, recovery_wrapped_dek = ?
                WHERE id = ? AND cred_version = ?""",
                n.version(), n.salt(), n.argon2().encode(), n.verifier(), n.wrappedDek(), n.recoveryWrappedDek().orElse(null),
                aliasId, expectedVersion) == 1);
    }

    @Override
    public void setQuota(String aliasId, long quotaBytes) {
        if (quotaBytes < 0) throw StoreException.invalid("a quota cannot be negative");
        locked(() -> {
            if (Sqlite.update(db, "UPDATE aliases SET quota_bytes = ? WHERE id = ?", quotaBytes, aliasId) == 0) {
                throw StoreException.notFound("no such alias");
            }
            return null;
        });
    }

    @Override
    public void close() {
        locked(() -> {
            for (PreparedStatement ps : prepared.values()) ps.close();
            prepared.clear();
            db.close();
            return null;
        });
    }

    /**
     * Every login looks its alias up: the two look-ups stay prepared on the one connection (callers
     * hold the lock), and columns are read by position. Reading them by name made the driver fetch
     * every column's name from SQLite on each call, 3% of the server's CPU under imaptest's logins.
     */
    private Optional<AliasRecord> queryOne(String sql, String arg) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = db.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        ps.setString(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static final String ALIAS_COLUMNS =
            "id, address, domain, cred_version, salt, argon2, verifier, wrapped_dek, recovery_wrapped_dek, public_key, quota_bytes, created_at";
    private static final String BY_ADDRESS = "SELECT " + ALIAS_COLUMNS + " FROM aliases WHERE address = ?";
    private static final String BY_ID = "SELECT " + ALIAS_COLUMNS + " FROM aliases WHERE id = ?";
    /** Statements kept prepared on {@code db} (guarded by {@code lock}). */
    private final java.util.Map<String, PreparedStatement> prepared = new java.util.HashMap<>();

    private long count(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            Sqlite.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** A row of {@link #ALIAS_COLUMNS}, in that order. */
    private static AliasRecord read(ResultSet rs) throws SQLException {
        var creds = new Credentials(
                rs.getLong(4),
                rs.getBytes(5),
                Argon2Params.decode(rs.getString(6)),
                rs.getBytes(7),
                rs.getBytes(8),
                Optional.ofNullable(rs.getBytes(9)));
        return new AliasRecord(rs.getString(1), rs.getString(2), rs.getString(3), creds,
                rs.getBytes(10), rs.getLong(11), Instant.parse(rs.getString(12)));
    }

    /** One connection, so calls are serialised; the gate bounds JNI work across the node. */
    private <T> T locked(DbGate.Work<T> work) {
        lock.lock();
        try {
            return gate.run(work);
        } finally {
            lock.unlock();
        }
    }
}
