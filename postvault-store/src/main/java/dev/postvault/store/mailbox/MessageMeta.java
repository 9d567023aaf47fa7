package dev.postvault.store.mailbox;

import java.time.Instant;

/**
 * One message's metadata in a folder, as a session keeps it for every message of the selected folder;
 * the content, and its EMAILID (RFC 8474), are read separately by {@code contentId} through a
 * {@link MailboxReader}. Reading this needs no row of {@code contents}, whose rows are the messages'
 * skeletons: a SELECT of a large folder then reads a page per message less.
 */
public record MessageMeta(
        long uid,
        long modseq,
        MessageFlags flags,
        Instant internalDate,
        Instant saveDate,
        long size,
        long contentId) {}
