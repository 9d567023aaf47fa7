package dev.postvault.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** Server-side TLS set-up in one place: TLS 1.2 and 1.3 only (RFC 8996, RFC 8314 §4.1). */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private Tls() {}

    /** Wraps an accepted plaintext socket (after STARTTLS or STLS) and completes the handshake. */
    public static SSLSocket serverHandshake(SSLContext ctx, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(PROTOCOLS);
        tls.startHandshake();
        return tls;
    }

    /** An unbound listening socket for implicit TLS (RFC 8314 §3.3). */
    public static ServerSocket serverSocket(SSLContext ctx) throws IOException {
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(PROTOCOLS);
        return s;
    }
}
