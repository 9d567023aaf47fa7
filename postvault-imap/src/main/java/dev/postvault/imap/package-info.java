/**
 * The IMAP server: a listener per port (STARTTLS or implicit TLS) and one {@link
 * dev.postvault.imap.session.ImapSession} per connection on its own virtual thread.
 */
package dev.postvault.imap;
