/**
 * SMTP wire codec (RFC 5321 and extensions), free of sockets and of any session state.
 *
 * <p>{@link dev.postvault.smtp.codec.CommandParser} turns one command line into a sealed
 * {@link dev.postvault.smtp.codec.SmtpCommand} (or a {@link dev.postvault.smtp.codec.ParseError});
 * {@link dev.postvault.smtp.codec.SmtpReply} formats replies; {@link dev.postvault.smtp.codec.SmtpInput}
 * frames command lines, dot-stuffed DATA and BDAT chunks from a byte stream into a bounded
 * {@link dev.postvault.smtp.codec.MessageBuffer}; {@link dev.postvault.smtp.codec.ReceivedHeader}
 * formats the trace header. Nothing here logs.
 */
package dev.postvault.smtp.codec;
