/**
 * The inbound SMTP listener: {@link dev.postvault.smtp.SmtpServer} accepts TCP connections (plain
 * with optional STARTTLS, or implicit TLS) and runs one {@link dev.postvault.smtp.session.SmtpSession}
 * per connection on its own virtual thread.
 */
package dev.postvault.smtp;
