package dev.postvault.store.mailbox;

/**
 * Limits of the mailbox store.
 *
 * @param maxMessageBytes largest message accepted by append or delivery
 * @param blobThresholdBytes leaf bodies at least this large are stored as de-duplicated blobs
 * @param maxIndexedChars text per message that goes into the full-text index; a message with more
 *                        is searched exactly beyond the index. Part of the index format: an entry is
 *                        removed by deriving its text again, so changing it needs an index rebuild
 * @param maxReadConnections read connections kept open per mailbox beside the writer
 */
public record MailboxLimits(long maxMessageBytes, int blobThresholdBytes, int maxIndexedChars, int maxReadConnections) {
    public static final MailboxLimits DEFAULT = new MailboxLimits(64L * 1024 * 1024, 4096, 1_000_000, 2);

    public MailboxLimits {
        if (maxMessageBytes < 1024 || blobThresholdBytes < 64 || maxIndexedChars < 0 || maxReadConnections < 0) {
            throw new IllegalArgumentException("bad mailbox limits");
        }
    }
}
