package dev.postvault.imap.codec;

/** Connection states of RFC 9051 §3; the command table says which commands each allows. */
public enum ImapState {
    /** RFC 9051 §3.1: before LOGIN or AUTHENTICATE succeeded. */
    NOT_AUTHENTICATED,
    /** RFC 9051 §3.2: authenticated, no mailbox selected. */
    AUTHENTICATED,
    /** RFC 9051 §3.3: a mailbox is selected. */
    SELECTED,
    /** RFC 9051 §3.4: the connection is being terminated; no command is allowed. */
    LOGOUT
}
