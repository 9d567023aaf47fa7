package dev.postvault.store.mailbox;

/**
 * Limits of the mailbox store.
 *
 * @param maxMessageBytes largest message accepted by append or delivery
 * @param blobThresholdBytes leaf bodies at least this large are stored as de-duplicated blobs
 * @param maxIndexedBytes octets of a message's search texts (lowered, UTF-8) that go into the
 *                        full-text index; a message with more is checked exactly beyond the index.
 *                        Part of the index format: an entry is removed by deriving it again from
 *                        the stored texts, so changing it needs an index rebuild. The default covers
 *                        the header text and the {@link SearchTexts#MAX_BODY_CHARS} of body text a
 *                        search reads when they are mostly Latin script (one or two octets a
 *                        character)
 * @param maxReadConnections read connections kept open per mailbox beside the writer
 * @param pageCacheKib decrypted pages each connection of a mailbox may keep in memory (SQLite's
 *                     {@code cache_size}), in KiB. Taken as needed, up to this: a mailbox of 10,000
 *                     messages reads about 20 MiB of pages for a header SEARCH, SORT or first sync,
 *                     and a cache smaller than that decrypts every page again on the next command.
 *                     At most {@code (1 + maxReadConnections) * pageCacheKib} per open mailbox
 * @param keyCacheEntries entries each kind of header key (a field's search text, sort keys, thread
 *                        keys, sent days) may hold in an open mailbox's memory ({@code KeyCache});
 *                        a folder with more messages is read from the file on every command
 * @param linger how long a mailbox stays open after its last handle closed, so that a client that
 *               logs out and in again (many check mail that way, several connections at a time) finds
 *               it open: no file open, no checkpoint at each close. Its key stays in memory that long;
 *               zero closes at once
 * @param maxLingering mailboxes at most kept open with no handle; beyond it the longest idle closes
 */
public record MailboxLimits(long maxMessageBytes, int blobThresholdBytes, int maxIndexedBytes, int maxReadConnections,
                            int pageCacheKib, int keyCacheEntries, java.time.Duration linger, int maxLingering) {
    /** SQLite's own default cache is 2 MiB per connection. */
    public static final int DEFAULT_PAGE_CACHE_KIB = 64 * 1024;
    public static final int DEFAULT_KEY_CACHE_ENTRIES = 250_000;
    public static final java.time.Duration DEFAULT_LINGER = java.time.Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_LINGERING = 256;
    public static final MailboxLimits DEFAULT = new MailboxLimits(64L * 1024 * 1024, 4096, 8_000_000, 2, DEFAULT_PAGE_CACHE_KIB,
            DEFAULT_KEY_CACHE_ENTRIES, DEFAULT_LINGER, DEFAULT_MAX_LINGERING);

    public MailboxLimits {
        if (maxMessageBytes < 1024 || blobThresholdBytes < 64 || maxIndexedBytes < 0 || maxReadConnections < 0 || pageCacheKib < 64
                || keyCacheEntries < 0 || linger.isNegative() || maxLingering < 0) {
            throw new IllegalArgumentException("bad mailbox limits");
        }
    }

    public MailboxLimits withPageCacheKib(int kib) {
        return new MailboxLimits(maxMessageBytes, blobThresholdBytes, maxIndexedBytes, maxReadConnections, kib, keyCacheEntries, linger,
                maxLingering);
    }

    public MailboxLimits withKeyCacheEntries(int entries) {
        return new MailboxLimits(maxMessageBytes, blobThresholdBytes, maxIndexedBytes, maxReadConnections, pageCacheKib, entries, linger,
                maxLingering);
    }

    public MailboxLimits withLinger(java.time.Duration after, int max) {
        return new MailboxLimits(maxMessageBytes, blobThresholdBytes, maxIndexedBytes, maxReadConnections, pageCacheKib, keyCacheEntries, after,
                max);
    }
}
