package dev.postvault.store.mailbox;

import java.util.Optional;

/** A folder (an IMAP mailbox) as stored. {@code name} uses "/" as the hierarchy delimiter. */
public record Folder(
        long id,
        String name,
        Optional<SpecialUse> specialUse,
        boolean subscribed,
        long uidValidity,
        long uidNext,
        long highestModseq,
        String objectId) {
    public static final String INBOX = "INBOX";
}
