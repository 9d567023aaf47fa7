package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.DbGate;
import dev.postvault.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxDbTest {
    /** SQLite's synchronous levels: 1 NORMAL (no fsync at a WAL commit), 2 FULL (the WAL is fsynced). */
    @Test
    void durableWritesCommitAtFullSyncAndOthersStayNormal(@TempDir Path dir) throws Exception {
        MailboxDb db = new MailboxDb("a1", dir.resolve("m.db"), SecretKey32.random(), new DbGate(1), 1, MailboxLimits.DEFAULT_PAGE_CACHE_KIB, MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES);
        try {
            assertThat((long) db.write(() -> synchronous(db.writer()))).isEqualTo(1);
            assertThat((long) db.writeDurable(() -> synchronous(db.writer()))).isEqualTo(2);
            assertThat((long) db.write(() -> synchronous(db.writer()))).as("back to NORMAL afterwards").isEqualTo(1);
            assertThatThrownBy(() -> db.writeDurable(() -> {
                throw new SQLException("rolled back");
            })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TEMPORARY))
                    .hasCauseInstanceOf(SQLException.class).hasRootCauseMessage("rolled back");
            assertThat((long) db.write(() -> synchronous(db.writer()))).as("a failed durable transaction also leaves NORMAL").isEqualTo(1);
        } finally {
            db.close();
        }
    }

    @Test
    void aWriteTransactionHoldsTheWriteLockFromItsStart(@TempDir Path dir) throws Exception {
        SecretKey32 key = SecretKey32.random();
        MailboxDb db = new MailboxDb("a1", dir.resolve("m.db"), key, new DbGate(2), 1, MailboxLimits.DEFAULT_PAGE_CACHE_KIB, MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES);
        try (Connection other = dev.postvault.store.Sqlite.open(dir.resolve("m.db"), key)) {
            dev.postvault.store.Sqlite.exec(other, "PRAGMA busy_timeout=0");
            // Inside a transaction that has only begun (nothing read or written yet), nobody else can
            // start writing: the transaction is IMMEDIATE, never a read that upgrades later.
            String seen = db.write(() -> {
                try {
                    dev.postvault.store.Sqlite.exec(other, "BEGIN IMMEDIATE");
                    dev.postvault.store.Sqlite.exec(other, "ROLLBACK");
                    return "other connection got the write lock";
                } catch (SQLException busy) {
                    return busy.getMessage();
                }
            });
            assertThat(seen).contains("SQLITE_BUSY");
        } finally {
            db.close();
        }
    }

    /**
     * A read running when the last handle closes (the background indexer holds no handle) must end
     * before close returns: the last connection to close removes the WAL, and a restore that moves
     * the file next (MailboxStore#replace) found the WAL gone under it.
     */
    @Test
    void closeWaitsForReadsInFlightSoTheFileIsSettledAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.db");
        MailboxDb db = new MailboxDb("a1", file, SecretKey32.random(), new DbGate(2), 1, MailboxLimits.DEFAULT_PAGE_CACHE_KIB, MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES);
        db.write(() -> {
            dev.postvault.store.Sqlite.exec(db.writer(), "CREATE TABLE t(x)");
            return null;
        });
        Connection leased = db.lease();
        Thread closer = Thread.ofVirtual().start(db::close);
        closer.join(300);
        assertThat(closer.isAlive()).as("close waits for the read in flight").isTrue();
        assertThatThrownBy(db::lease).as("no new reads once closing").isInstanceOf(StoreException.class);
        db.endLease(leased);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(file.resolveSibling("m.db-wal")).as("every connection closed: the WAL is gone").doesNotExist();
    }

    @Test
    void everyConnectionOfTheMailboxGetsTheConfiguredPageCache(@TempDir Path dir) throws Exception {
        MailboxDb db = new MailboxDb("a1", dir.resolve("m.db"), SecretKey32.random(), new DbGate(2), 1, 12_345, MailboxLimits.DEFAULT_KEY_CACHE_ENTRIES);
        try {
            assertThat(cacheSize(db.writer())).isEqualTo(-12_345);
            Connection reader = db.lease();
            try {
                assertThat(cacheSize(reader)).as("KiB, as a negative cache_size").isEqualTo(-12_345);
            } finally {
                db.endLease(reader);
            }
        } finally {
            db.close();
        }
    }

    private static long cacheSize(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA cache_size")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long synchronous(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
