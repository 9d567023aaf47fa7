package dev.postvault.pop3.codec;

/**
 * RFC 1939 §3: a session is in AUTHORIZATION until it logs in, then in TRANSACTION; UPDATE is entered
 * only by QUIT from TRANSACTION and ends the session, so no command is ever read in it.
 */
public enum Pop3State {
    AUTHORIZATION,
    TRANSACTION
}
