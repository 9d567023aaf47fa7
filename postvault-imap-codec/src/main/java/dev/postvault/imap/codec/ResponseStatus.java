package dev.postvault.imap.codec;

/** Status condition of a server response (RFC 9051 §7.1 resp-cond-state, resp-cond-auth, resp-cond-bye). */
public enum ResponseStatus {
    OK, NO, BAD, PREAUTH, BYE
}
