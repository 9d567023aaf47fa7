package dev.postvault.imap.codec;

/** LIST return options (RFC 5258 §3.2, RFC 5819, RFC 6154 §5.2). */
public enum ListReturnOption {
    SUBSCRIBED, CHILDREN,
    /** "SPECIAL-USE" on the wire. */
    SPECIAL_USE,
    /** STATUS (items): the items are in {@link ImapCommand.ListMailboxes#statusItems()} (RFC 5819). */
    STATUS
}
