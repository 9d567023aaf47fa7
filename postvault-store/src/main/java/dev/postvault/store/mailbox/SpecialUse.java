package dev.postvault.store.mailbox;

/** RFC 6154 special-use roles of the default folders. */
public enum SpecialUse {
    DRAFTS,
    SENT,
    ARCHIVE,
    JUNK,
    TRASH,
    ALL,
    FLAGGED
}
