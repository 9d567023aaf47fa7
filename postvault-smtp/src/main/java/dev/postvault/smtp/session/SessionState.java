package dev.postvault.smtp.session;

/** Where a session stands in the RFC 5321 §4.1.4 command order. */
public enum SessionState {
    /** Greeting sent; no (valid) EHLO/HELO yet, or STARTTLS just completed. */
    GREETED,
    /** EHLO/HELO accepted, no transaction open. */
    READY,
    /** MAIL accepted, no recipient accepted yet. */
    MAIL,
    /** At least one recipient accepted. */
    RCPT,
    /** At least one BDAT chunk without LAST received (RFC 3030 §2). */
    BDAT
}
