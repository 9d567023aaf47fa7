package dev.postvault.imap.session;

/** What the session does after a handler: read the next command, or close the connection. */
enum Next {
    CONTINUE,
    CLOSE
}
