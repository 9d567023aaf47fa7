package dev.postvault.imap.session;

/**
 * Extensions a client has turned on for its session: by ENABLE (RFC 5161), or CONDSTORE by a
 * command that uses it (RFC 7162 §3.1). Once on they stay on; one per session, used by its thread.
 */
final class Extensions {
    /** RFC 7162 §3.1: flag updates and FETCH carry MODSEQ. */
    boolean condstore;
    /** RFC 7162 §3.2: VANISHED instead of EXPUNGE, SELECT with QRESYNC. Implies CONDSTORE. */
    boolean qresync;
    /** RFC 9051: no \Recent, ESEARCH answers, UTF-8 mailbox names. */
    boolean rev2;
}
