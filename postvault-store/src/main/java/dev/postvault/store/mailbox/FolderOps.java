package dev.postvault.store.mailbox;

import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Folder rows: create, rename, delete, subscriptions, status counts (SQL behind {@link Mailbox}). */
final class FolderOps {
    static final String SELECT = "SELECT f.*, EXISTS(SELECT 1 FROM subscriptions s WHERE s.name = f.name) AS subscribed FROM folders f";

    private FolderOps() {}

    static List<Folder> all(Connection c) throws SQLException {
        List<Folder> out = new ArrayList<>();
        try (var ps = c.prepareStatement(SELECT + " ORDER BY f.name <> 'INBOX', f.name"); var rs = ps.executeQuery()) {
            while (rs.next()) out.add(read(rs));
        }
        return out;
    }

    static Optional<Folder> find(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement(SELECT + " WHERE f.name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static Folder require(Connection c, String name) throws SQLException {
        return find(c, name).orElseThrow(() -> StoreException.notFound("no such folder"));
    }

    /** A folder that can hold messages: a \\Noselect name counts as absent for SELECT, APPEND, COPY. */
    static Folder requireSelectable(Connection c, String name) throws SQLException {
        Folder f = require(c, name);
        if (f.noselect()) throw StoreException.notFound("folder cannot be selected");
        return f;
    }

    /** RFC 9051 §6.3.4: creates the folder and any missing ancestors. */
    static Folder create(Connection c, String name, Optional<SpecialUse> use) throws SQLException {
        Optional<Folder> existing = find(c, name);
        if (existing.isPresent() && existing.get().noselect()) {
            // A placeholder becomes a folder again, with a new UIDVALIDITY (RFC 9051 §2.3.1.1).
            Sqlite.update(c, "DELETE FROM folders WHERE id = ?", existing.get().id());
            MailboxStore.insertFolder(c, name, use);
            return require(c, name);
        }
        if (existing.isPresent()) throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "folder exists");
        if (use.isPresent() && Sqlite.exists(c, "SELECT 1 FROM folders WHERE special_use = ?", use.get().name())) {
            throw new StoreException(StoreException.Kind.INVALID, "another folder already has that special use");
        }
        for (String a : FolderNames.ancestors(name)) {
            if (find(c, a).isEmpty()) MailboxStore.insertFolder(c, a, Optional.empty());
        }
        MailboxStore.insertFolder(c, name, use);
        return require(c, name);
    }

    /**
     * RFC 9051 §6.3.5. The messages go with it. A folder with children stays as a \\Noselect name; a
     * \\Noselect name with children cannot be deleted (HASCHILDREN). Placeholders left without children
     * by this delete go too. Returns the contents to release.
     */
    static List<Long> delete(Connection c, String name) throws SQLException {
        if (name.equals(Folder.INBOX)) throw StoreException.invalid("INBOX cannot be deleted");
        Folder f = require(c, name);
        boolean hasChildren = Sqlite.exists(c, "SELECT 1 FROM folders WHERE substr(name, 1, ?) = ?", name.length() + 1, name + FolderNames.DELIMITER);
        if (hasChildren && f.noselect()) {
            throw new StoreException(StoreException.Kind.HAS_CHILDREN, "folder has children; delete them first");
        }
        List<Long> contents = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT content_id FROM messages WHERE folder_id = ?")) {
            ps.setLong(1, f.id());
            try (var rs = ps.executeQuery()) {
                while (rs.next()) contents.add(rs.getLong(1));
            }
        }
        Sqlite.update(c, "UPDATE counters SET value = value - (SELECT coalesce(sum(size), 0) FROM messages WHERE folder_id = ?) WHERE name = 'used_bytes'", f.id());
        Sqlite.update(c, "DELETE FROM messages WHERE folder_id = ?", f.id());
        Sqlite.update(c, "DELETE FROM journal WHERE folder_id = ?", f.id());
        if (hasChildren) {
            Sqlite.update(c, "UPDATE folders SET noselect = 1, special_use = NULL WHERE id = ?", f.id());
        } else {
            Sqlite.update(c, "DELETE FROM folders WHERE id = ?", f.id());
            List<String> up = FolderNames.ancestors(name);
            for (int i = up.size() - 1; i >= 0; i--) {
                String a = up.get(i);
                boolean childless = !Sqlite.exists(c, "SELECT 1 FROM folders WHERE substr(name, 1, ?) = ?", a.length() + 1, a + FolderNames.DELIMITER);
                if (!childless || Sqlite.update(c, "DELETE FROM folders WHERE name = ? AND noselect = 1", a) == 0) break;
            }
        }
        return contents; // the caller releases them
    }

    /**
     * RFC 9051 §6.3.6: renames the folder and every folder below it, keeping their UIDVALIDITY;
     * missing ancestors of the new name are created. Renaming INBOX is handled by the caller.
     */
    static void rename(Connection c, String from, String to) throws SQLException {
        require(c, from);
        if (find(c, to).isPresent()) throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "target folder exists");
        if (to.startsWith(from + FolderNames.DELIMITER)) throw StoreException.invalid("cannot move a folder into itself");
        List<String> moving = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT name FROM folders WHERE name = ? OR substr(name, 1, ?) = ?")) {
            Sqlite.bind(ps, from, from.length() + 1, from + FolderNames.DELIMITER);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) moving.add(rs.getString(1));
            }
        }
        for (String old : moving) {
            String renamed = to + old.substring(from.length());
            Sqlite.update(c, "UPDATE folders SET name = ? WHERE name = ?", renamed, old);
            // Subscriptions follow the folder (as Dovecot and Cyrus do).
            if (Sqlite.update(c, "DELETE FROM subscriptions WHERE name = ?", old) > 0) {
                Sqlite.update(c, "INSERT OR IGNORE INTO subscriptions(name) VALUES (?)", renamed);
            }
        }
        for (String a : FolderNames.ancestors(to)) {
            if (find(c, a).isEmpty()) MailboxStore.insertFolder(c, a, Optional.empty());
        }
    }

    static void subscribe(Connection c, String name, boolean on) throws SQLException {
        if (on) Sqlite.update(c, "INSERT OR IGNORE INTO subscriptions(name) VALUES (?)", name);
        else Sqlite.update(c, "DELETE FROM subscriptions WHERE name = ?", name);
    }

    static List<String> subscriptions(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT name FROM subscriptions ORDER BY name"); var rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static FolderStatus status(Connection c, Folder f) throws SQLException {
        if (f.noselect()) throw StoreException.notFound("folder cannot be selected");
        try (var ps = c.prepareStatement("""
                SELECT count(*), coalesce(sum(flags & ? = 0), 0), coalesce(sum(flags & ? != 0), 0), coalesce(sum(size), 0),
                  coalesce(sum(uid >= (SELECT recent_uid FROM folders WHERE id = ?)), 0),
                  coalesce(sum(CASE WHEN flags & ? != 0 THEN size ELSE 0 END), 0)
                FROM messages WHERE folder_id = ?""")) {
            int seen = MessageFlags.of(SystemFlag.SEEN).bits();
            int deleted = MessageFlags.of(SystemFlag.DELETED).bits();
            Sqlite.bind(ps, seen, deleted, f.id(), deleted, f.id());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return new FolderStatus(f, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
    }

    private static Folder read(ResultSet rs) throws SQLException {
        String use = rs.getString("special_use");
        return new Folder(rs.getLong("id"), rs.getString("name"), Optional.ofNullable(use).map(SpecialUse::valueOf),
                rs.getInt("subscribed") != 0, rs.getLong("uidvalidity"), rs.getLong("uidnext"), rs.getLong("highest_modseq"),
                rs.getString("object_id"), rs.getInt("noselect") != 0);
    }
}
