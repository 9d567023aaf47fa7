package dev.postvault.store;

import dev.postvault.crypto.SecretKey32;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens SQLite3MultipleCiphers databases the way ARCHITECTURE.md §3 prescribes: {@code cipher=chacha20}
 * with a raw 256-bit key (no page-key PBKDF2: ~1 ms per open instead of ~40 ms), then the seed's
 * PRAGMAs. Error messages never carry the JDBC URL, because it holds the key.
 */
public final class Sqlite {
    private Sqlite() {}

    public static Connection open(Path file, SecretKey32 key) {
        return open(file, key, 0);
    }

    /**
     * Like {@link #open}, with a page cache of up to {@code cacheKib} KiB instead of SQLite's 2 MiB
     * default (0 keeps the default). The cache holds decrypted pages: a page read again from it costs
     * no decryption and no system call.
     */
    public static Connection open(Path file, SecretKey32 key, int cacheKib) {
        String url = "jdbc:sqlite:file:" + file.toAbsolutePath() + "?cipher=chacha20&key=raw:" + key.hex();
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                // Set before anything that may write or wait: a lock held by another connection is
                // waited for, and no statement commits at SQLite's default fsync-heavy level.
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA synchronous=NORMAL");
                // Reading the schema forces decryption of page 1: a wrong key fails here, not later.
                s.execute("SELECT count(*) FROM sqlite_master");
                if (isEmpty(s)) {
                    // Only for a new file, before its first table: lets the owner return free pages
                    // (FTS5 merges, deleted mail) with incremental_vacuum. On an existing file this
                    // PRAGMA would be a write transaction on every open.
                    s.execute("PRAGMA auto_vacuum=INCREMENTAL");
                }
                s.execute("PRAGMA journal_mode=WAL");
                // A big transaction (a drain batch, an import) leaves the WAL that large until it is
                // reused; past a checkpoint, give all but 4 MiB of it back (it matters on a full disk).
                s.execute("PRAGMA journal_size_limit=4194304");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA encoding='UTF-8'");
                s.execute("PRAGMA secure_delete=ON");
                // Sorts and temp indexes stay in memory: no plaintext temp file ever reaches the disk.
                s.execute("PRAGMA temp_store=MEMORY");
                if (cacheKib > 0) s.execute("PRAGMA cache_size=-" + cacheKib);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Like {@link #open}, for the one connection that writes a file: its transactions begin
     * IMMEDIATE, taking the write lock at BEGIN. A deferred transaction that reads first and writes
     * later fails at once with SQLITE_BUSY_SNAPSHOT (no busy wait) when anything else wrote in
     * between; an immediate one can only wait for the lock.
     */
    public static Connection openWriter(Path file, SecretKey32 key, int cacheKib) {
        Connection c = open(file, key, cacheKib);
        try {
            c.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig()
                    .setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the first failure
            }
            throw translate(e);
        }
    }

    private static boolean isEmpty(Statement s) throws SQLException {
        try (var rs = s.executeQuery("PRAGMA page_count")) {
            return rs.next() && rs.getLong(1) == 0;
        }
    }

    /** Maps driver errors to store kinds without leaking SQL text or URLs to protocol clients. */
    public static StoreException translate(Exception e) {
        if (e instanceof StoreException se) return se;
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("SQLITE_NOTADB") || msg.contains("file is not a database")) {
            return new StoreException(StoreException.Kind.CORRUPT, "database cannot be decrypted", e);
        }
        if (msg.contains("SQLITE_FULL")) {
            return new StoreException(StoreException.Kind.DISK_FULL, "disk full", e);
        }
        if (msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED")) {
            return new StoreException(StoreException.Kind.TEMPORARY, "database busy", e);
        }
        if (msg.contains("SQLITE_CONSTRAINT")) {
            return new StoreException(StoreException.Kind.ALREADY_EXISTS, "already exists", e);
        }
        if (msg.contains("SQLITE_CORRUPT")) {
            return new StoreException(StoreException.Kind.CORRUPT, "database corrupt", e);
        }
        return new StoreException(StoreException.Kind.TEMPORARY, "storage error", e);
    }

    /**
     * Runs {@code body} in one transaction on {@code c}: commit on success, roll back on any failure.
     * The body's (or the commit's) own error is the one reported, never a follow-up error from
     * cleaning up after it.
     */
    public static <T> T inTransaction(Connection c, DbGate.Work<T> body) {
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw translate(e);
        }
        StoreException failure = null;
        try {
            T t = body.run();
            c.commit();
            return t;
        } catch (Exception e) {
            failure = translate(e);
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // SQLite may have rolled back already (SQLITE_FULL, IOERR); the failure above is what matters
            }
            throw failure;
        } finally {
            try {
                restoreAutoCommit(c);
            } catch (SQLException e) {
                if (failure == null) throw translate(e);
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Back to autocommit. After SQLite has rolled a transaction back by itself (a full disk, an I/O
     * error) the driver's COMMIT fails with "no transaction is active"; the driver has already
     * switched to autocommit by then, which matches SQLite's state, so that failure is harmless.
     */
    private static void restoreAutoCommit(Connection c) throws SQLException {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (!c.getAutoCommit()) throw e;
        }
    }

    public static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    public static void setUserVersion(Connection c, int v) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=" + v);
        }
    }

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    public static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }
}
