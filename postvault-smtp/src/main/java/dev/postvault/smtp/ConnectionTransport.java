package dev.postvault.smtp;

import dev.postvault.net.ClientConnection;
import dev.postvault.smtp.session.SmtpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** {@link SmtpTransport} over a listener's {@link ClientConnection}, upgradable to TLS in server mode. */
final class ConnectionTransport implements SmtpTransport {
    private final String connectionId;
    private final ClientConnection conn;
    private final Optional<SSLContext> startTls;

    /** @param startTls the context STARTTLS uses; empty when it is not offered (or TLS is implicit) */
    ConnectionTransport(String connectionId, ClientConnection conn, Optional<SSLContext> startTls) {
        this.connectionId = connectionId;
        this.conn = conn;
        this.startTls = startTls;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public InetAddress remoteAddress() {
        return conn.remoteAddress();
    }

    @Override
    public InputStream input() {
        return conn.in();
    }

    @Override
    public OutputStream output() {
        return conn.out();
    }

    @Override
    public boolean tlsActive() {
        return conn.isTls();
    }

    @Override
    public boolean tlsAvailable() {
        return !conn.isTls() && startTls.isPresent();
    }

    @Override
    public void startTls() {
        if (!tlsAvailable()) throw new IllegalStateException("TLS not available");
        try {
            conn.startTls(startTls.get()); // RFC 3207 §4: what the client sent before the handshake is dropped with the old streams
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        try {
            conn.timeout(timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
