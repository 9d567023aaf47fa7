package dev.postvault.store.mailbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sessions of one open mailbox have read of {@code message_keys}, kept in memory by content
 * id and shared by them: the search text of a header field, sort keys, thread keys, sent days. A
 * content never changes under its id, and no id is given twice (Schema v10), so an entry never goes
 * stale and is never checked again; it lives until the mailbox closes. Header searches, SORT and
 * THREAD then read the database only for messages they have not seen.
 *
 * <p>Each kind of value is one column. A column that would grow past {@code maxEntries} (the
 * entries of deleted contents stay until the mailbox closes) is replaced by a new, empty one; a
 * command that holds the old one keeps using it, so no command sees a column emptied under it.
 * Values are never null: absence is a value (an empty Optional) or a missing key.
 */
final class KeyCache {
    private final ConcurrentHashMap<String, Map<Long, Object>> columns = new ConcurrentHashMap<>();
    private final int maxEntries;

    KeyCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * The column {@code name}, with room for {@code adding} more entries: a new, empty one when it
     * would pass the limit. Null when {@code adding} alone passes it: such a folder is read uncached.
     */
    @SuppressWarnings("unchecked")
    <T> Map<Long, T> column(String name, int adding) {
        if (adding > maxEntries) return null;
        Map<Long, Object> column = columns.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        if (column.size() + adding > maxEntries) {
            column = new ConcurrentHashMap<>();
            columns.put(name, column);
        }
        return (Map<Long, T>) column;
    }

}
