package dev.postvault.imap.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** One client's socket, upgradable to TLS in place (STARTTLS, RFC 9051 §6.2.1). */
public final class Connection implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public Connection(Socket socket) throws IOException {
        this.socket = socket;
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public boolean isLoopback() {
        InetAddress a = socket.getInetAddress();
        return a != null && a.isLoopbackAddress();
    }

    public String remoteIp() {
        InetAddress a = socket.getInetAddress();
        return a == null ? "?" : a.getHostAddress();
    }

    public void timeout(Duration d) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Wraps the socket in TLS as a server and runs the handshake. */
    public void startTls(SSLContext ctx) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        tls.startHandshake();
        socket = tls;
        streams();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
