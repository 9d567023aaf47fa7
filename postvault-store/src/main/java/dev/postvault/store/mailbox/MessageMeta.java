package dev.postvault.store.mailbox;

import java.time.Instant;

/** One message's metadata in a folder; the content is fetched separately by {@code contentId}. */
public record MessageMeta(
        long uid,
        long modseq,
        MessageFlags flags,
        Instant internalDate,
        Instant saveDate,
        long size,
        long contentId,
        String emailId) {}
