package dev.postvault.net;

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

/**
 * One client's socket with buffered streams, upgradable in place to TLS (IMAP STARTTLS, RFC 9051
 * §6.2.1; POP3 STLS, RFC 2595 §4) and to DEFLATE (IMAP COMPRESS, RFC 4978). Used by one thread.
 */
public final class ClientConnection implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public ClientConnection(Socket socket) throws IOException {
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

    /** True when some bytes can be read without blocking: a pipelining client sent more (RFC 2449 §6.6). */
    public boolean hasBufferedInput() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public boolean isLoopback() {
        InetAddress a = socket.getInetAddress();
        return a != null && a.isLoopbackAddress();
    }

    /** True when {@code failure} comes from the read timeout (the idle or autologout timer) running out. */
    public static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }

    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public String remoteIp() {
        InetAddress a = socket.getInetAddress();
        return a == null ? "?" : a.getHostAddress();
    }

    public void timeout(Duration d) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private boolean compressed;

    public boolean isCompressed() {
        return compressed;
    }

    /**
     * COMPRESS=DEFLATE (RFC 4978 §3): from now on both directions are raw deflate streams. Bytes the
     * command reader had already buffered belong to the compressed stream and are fed in first; every
     * flush after new output is a sync flush, so a response is never held back in the compressor
     * ({@link DeflateOutput}). Streams taken from {@link #in()} and {@link #out()} before this call
     * must not be used again: they bypass the compressor.
     */
    public void startCompression(byte[] alreadyRead) {
        // No BufferedInputStream on top: InflaterInputStream.available() is 1 until the end, so a
        // buffered read would keep asking for more and block on a quiet connection.
        in = new java.util.zip.InflaterInputStream(
                new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(alreadyRead), in), new java.util.zip.Inflater(true), 16 * 1024);
        out = new DeflateOutput(out);
        compressed = true;
    }

    /** Wraps the socket in TLS as a server and runs the handshake. */
    public void startTls(SSLContext ctx) throws IOException {
        socket = Tls.serverHandshake(ctx, socket);
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
