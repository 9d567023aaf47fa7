/**
 * POP3 wire format: the command table, the line reader and parser (commands parsed fully into
 * {@link dev.postvault.pop3.codec.Pop3Command} records), the response writer, and the dot-stuffing
 * and TOP filters for message content. Imports no store; single-threaded per connection.
 */
package dev.postvault.pop3.codec;
