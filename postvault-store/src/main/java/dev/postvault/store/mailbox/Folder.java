package dev.postvault.store.mailbox;

import java.util.Optional;

/**
 * A folder (an IMAP mailbox) as stored. {@code name} uses "/" as the hierarchy delimiter. A
 * {@code noselect} folder is only a name that holds children: what remains when a folder with
 * children is deleted (RFC 9051 §6.3.5); it holds no messages and cannot be selected.
 */
public record Folder(
        long id,
        String name,
        Optional<SpecialUse> specialUse,
        boolean subscribed,
        long uidValidity,
        long uidNext,
        long highestModseq,
        String objectId,
        boolean noselect) {
    public static final String INBOX = "INBOX";
}
