package dev.postvault.imap.codec;

/** LIST selection options (RFC 5258 §3.1, RFC 6154 §5.3). */
public enum ListSelectOption {
    SUBSCRIBED, REMOTE, RECURSIVEMATCH,
    /** "SPECIAL-USE" on the wire. */
    SPECIAL_USE
}
