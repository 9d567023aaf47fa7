package dev.postvault.smtp;

import dev.postvault.smtp.session.SmtpLimits;
import java.net.InetAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Configuration of one SMTP listener.
 *
 * @param bindAddress local address to listen on
 * @param port TCP port; 0 picks a free port (see {@link SmtpServer#port()})
 * @param hostname our host name for the greeting, EHLO and Received headers (a Domain, ASCII)
 * @param limits session limits
 * @param tlsContext server TLS context; when present and {@code implicitTls} is false, STARTTLS is offered
 * @param implicitTls TLS from the first byte (port 465 style, RFC 8314 §3.3); needs {@code tlsContext}
 * @param maxConnections concurrent connections; beyond it new connections get 421 4.3.2 and are closed
 */
public record SmtpServerConfig(
        InetAddress bindAddress,
        int port,
        String hostname,
        SmtpLimits limits,
        Optional<SSLContext> tlsContext,
        boolean implicitTls,
        int maxConnections) {

    public SmtpServerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (!hostname.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("hostname must be an ASCII domain name");
        }
        if (implicitTls && tlsContext.isEmpty()) {
            throw new IllegalArgumentException("implicitTls needs a tlsContext");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

    /** A plain listener with default limits, no TLS and 500 connections. */
    public static SmtpServerConfig plain(InetAddress bindAddress, int port, String hostname) {
        return new SmtpServerConfig(bindAddress, port, hostname, SmtpLimits.defaults(), Optional.empty(), false, 500);
    }

    public SmtpServerConfig withLimits(SmtpLimits newLimits) {
        return new SmtpServerConfig(bindAddress, port, hostname, newLimits, tlsContext, implicitTls, maxConnections);
    }

    public SmtpServerConfig withStartTls(SSLContext context) {
        return new SmtpServerConfig(bindAddress, port, hostname, limits, Optional.of(context), false, maxConnections);
    }

    public SmtpServerConfig withImplicitTls(SSLContext context) {
        return new SmtpServerConfig(bindAddress, port, hostname, limits, Optional.of(context), true, maxConnections);
    }

    public SmtpServerConfig withMaxConnections(int value) {
        return new SmtpServerConfig(bindAddress, port, hostname, limits, tlsContext, implicitTls, value);
    }
}
