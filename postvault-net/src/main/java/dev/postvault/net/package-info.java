/**
 * Transport pieces shared by the IMAP and POP3 servers: {@link dev.postvault.net.TcpListener} (one
 * virtual thread per connection), {@link dev.postvault.net.ClientConnection} (buffered streams,
 * STARTTLS/STLS and DEFLATE in place), {@link dev.postvault.net.Tls} (TLS 1.2+ only),
 * {@link dev.postvault.net.SaslPlain} and {@link dev.postvault.net.CommandRate}. Knows no protocol
 * and no store; the failed-login throttle is part of the store's login path.
 */
package dev.postvault.net;
