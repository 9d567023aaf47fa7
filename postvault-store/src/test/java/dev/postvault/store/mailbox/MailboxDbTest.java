package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.DbGate;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxDbTest {
    /** SQLite's synchronous levels: 1 NORMAL (no fsync at a WAL commit), 2 FULL (the WAL is fsynced). */
    @Test
    void durableWritesCommitAtFullSyncAndOthersStayNormal(@TempDir Path dir) throws Exception {
        MailboxDb db = new MailboxDb("a1", dir.resolve("m.db"), SecretKey32.random(), new DbGate(1), 1);
        try {
            assertThat((long) db.write(() -> synchronous(db.writer()))).isEqualTo(1);
            assertThat((long) db.writeDurable(() -> synchronous(db.writer()))).isEqualTo(2);
            assertThat((long) db.write(() -> synchronous(db.writer()))).as("back to NORMAL afterwards").isEqualTo(1);
            try {
                db.writeDurable(() -> {
                    throw new SQLException("rolled back");
                });
            } catch (RuntimeException expected) {
                // a failed durable transaction also leaves the connection at NORMAL
            }
            assertThat((long) db.write(() -> synchronous(db.writer()))).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    private static long synchronous(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
