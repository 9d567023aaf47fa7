package dev.postvault.bench;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the bytes of a mailbox file go: pages per table and index from SQLite's {@code dbstat} virtual
 * table (sizes include each page's cipher reserve), plus free pages. Reads a closed mailbox file
 * through {@link Sqlite#open}; measure the file size before calling this, since opening may write.
 */
public record SpaceReport(long pageSize, long pageCount, long freePages, List<Entry> entries) {
    /** One b-tree: {@code bytes} on disk, {@code payloadBytes} of it actual row data. */
    public record Entry(String name, long pages, long bytes, long payloadBytes) {}

    public static SpaceReport of(Path mailboxFile, SecretKey32 dek) {
        try (Connection c = Sqlite.open(mailboxFile, dek); var s = c.createStatement()) {
            long pageSize = single(s, "PRAGMA page_size");
            long pageCount = single(s, "PRAGMA page_count");
            long free = single(s, "PRAGMA freelist_count");
            List<Entry> entries = new ArrayList<>();
            try (var rs = s.executeQuery("""
                    SELECT name, count(*), sum(pgsize), sum(payload) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC""")) {
                while (rs.next()) entries.add(new Entry(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
            return new SpaceReport(pageSize, pageCount, free, List.copyOf(entries));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read space statistics: " + e.getMessage(), e);
        }
    }

    private static long single(java.sql.Statement s, String sql) throws SQLException {
        try (var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Prints the largest {@code top} entries and the rest summed. */
    public void print(Report report, int top) {
        report.note("space by table/index (dbstat; %d pages of %d bytes, %d free):".formatted(pageCount, pageSize, freePages));
        long restBytes = 0;
        long restPages = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i < top) {
                report.note("  %-28s %6d pages %,12d bytes  (payload %,d)".formatted(e.name(), e.pages(), e.bytes(), e.payloadBytes()));
            } else {
                restPages += e.pages();
                restBytes += e.bytes();
            }
        }
        if (restPages > 0) report.note("  %-28s %6d pages %,12d bytes".formatted("(" + (entries.size() - top) + " others)", restPages, restBytes));
    }
}
