/**
 * The SMTP session state machine: executes parsed commands against a {@link
 * dev.postvault.smtp.session.DeliveryPort}, knows no storage and no sockets (it talks to a {@link
 * dev.postvault.smtp.session.SmtpTransport}).
 *
 * <p>Sequencing lives in one declarative table, {@link dev.postvault.smtp.session.CommandTable};
 * port rejections map to reply codes in one place, {@link dev.postvault.smtp.session.Replies}. Logs
 * carry the connection id and remote IP only, never addresses, subjects or bodies.
 */
package dev.postvault.smtp.session;
