package dev.postvault.smtp;

import dev.postvault.smtp.session.SmtpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

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

    /** Wraps {@code plain} in a server-mode TLS socket and completes the handshake. */
    static SSLSocket handshake(SSLContext context, Socket plain) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        // RFC 8996 / RFC 8314 §4.1: nothing older than TLS 1.2
        String[] modern = Arrays.stream(ssl.getSupportedProtocols())
                .filter(p -> p.equals("TLSv1.2") || p.equals("TLSv1.3"))
                .toArray(String[]::new);
        ssl.setEnabledProtocols(modern);
        ssl.startHandshake();
        return ssl;
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
            socket = handshake(tlsContext.get(), socket); // RFC 3207 §4
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
