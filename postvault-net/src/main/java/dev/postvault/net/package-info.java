/**
 * Transport pieces shared by the IMAP and POP3 servers: {@link dev.postvault.net.TcpListener} (one
 * virtual thread per connection), {@link dev.postvault.net.ClientConnection} (buffered streams,
 * STARTTLS/STLS and DEFLATE in place), {@link dev.postvault.net.Tls} (TLS 1.2+ only) and
 * {@link dev.postvault.net.LoginThrottle} (failed logins per client network, across connections).
 * Knows no protocol and no store.
 */
package dev.postvault.net;
