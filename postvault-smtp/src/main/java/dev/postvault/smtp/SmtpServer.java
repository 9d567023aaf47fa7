package dev.postvault.smtp;

import dev.postvault.net.ClientConnection;
import dev.postvault.net.TcpListener;
import dev.postvault.smtp.codec.SmtpReply;
import dev.postvault.smtp.session.DeliveryPort;
import dev.postvault.smtp.session.Role;
import dev.postvault.smtp.session.SmtpSession;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP listener: the shared {@link TcpListener} (accepting on one platform thread, a virtual thread
 * per connection) serving a {@link SmtpSession} on each connection. Thread-safe.
 */
public final class SmtpServer implements AutoCloseable {
    private final SmtpServerConfig config;
    private final Role role;
    private final TcpListener listener;
    private final AtomicLong connectionCounter = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

    public SmtpServer(SmtpServerConfig config, DeliveryPort port) {
        this(config, new Role.Mx(port));
    }

    /** A listener for {@code role}: the inbound MX, or submission (RFC 6409) on 587 / 465. */
    public SmtpServer(SmtpServerConfig config, Role role) {
        this.config = config;
        this.role = role;
        // RFC 5321 §3.8: a server that cannot serve the connection answers 421 and closes.
        String busy = SmtpReply.of(421, "4.3.2", config.hostname() + " too many connections, try later").format();
        String name = (role.authenticates() ? "submission" : "smtp") + (config.implicitTls() ? "s" : "");
        this.listener = new TcpListener(new TcpListener.Config(name, config.bindAddress(), config.port(),
                config.implicitTls() ? config.tlsContext() : Optional.empty(), // RFC 8314 §3.3
                config.maxConnections(), busy), this::serve);
    }

    /** Binds the listening socket and starts accepting; throws {@link java.io.UncheckedIOException} if binding fails. */
    public void start() {
        listener.start();
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        return listener.port();
    }

    /** Connections currently being served. */
    public int activeConnections() {
        return listener.activeConnections();
    }

    /** Stops accepting, closes every live connection and waits briefly for their threads. Idempotent. */
    @Override
    public void close() {
        listener.close();
    }

    private void serve(ClientConnection conn) {
        String id = HexFormat.of().toHexDigits(connectionCounter.incrementAndGet() & 0xffffffffL).substring(8);
        Optional<javax.net.ssl.SSLContext> startTls = config.implicitTls() ? Optional.empty() : config.tlsContext();
        new SmtpSession(config.hostname(), config.limits(), role, new ConnectionTransport(id, conn, startTls)).run();
    }
}
