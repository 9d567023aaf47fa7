package dev.postvault.smtp;

import dev.postvault.net.Tls;
import dev.postvault.smtp.session.SmtpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** {@link SmtpTransport} over a TCP socket, upgradable to TLS in server mode. */
final class SocketTransport implements SmtpTransport {

    private final String connectionId;
    private final Optional<SSLContext> tlsContext;
    private Socket socket;
    private boolean tls;

    SocketTransport(String connectionId, Socket socket, Optional<SSLContext> tlsContext, boolean tlsActive) {
        this.connectionId = connectionId;
        this.socket = socket;
        this.tlsContext = tlsContext;
        this.tls = tlsActive;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public InputStream input() {
        try {
            return socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OutputStream output() {
        try {
            return socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean tlsActive() {
        return tls;
    }

    @Override
    public boolean tlsAvailable() {
        return !tls && tlsContext.isPresent();
    }

    @Override
    public void startTls() {
        if (!tlsAvailable()) {
            throw new IllegalStateException("TLS not available");
        }
        try {
            socket = Tls.serverHandshake(tlsContext.get(), socket); // RFC 3207 §4
            tls = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
