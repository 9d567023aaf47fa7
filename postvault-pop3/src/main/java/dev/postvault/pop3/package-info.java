/**
 * The POP3 server (RFC 1939 with CAPA and RESP-CODES from RFC 2449, SASL PLAIN from RFC 5034, STLS
 * from RFC 2595, implicit TLS from RFC 8314): a listener per port and one
 * {@link dev.postvault.pop3.session.Pop3Session} per connection on its own virtual thread.
 * {@code codec} parses lines and writes responses and knows no store; {@code session} runs commands
 * against the store.
 */
package dev.postvault.pop3;
