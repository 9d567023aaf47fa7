package dev.postvault.imap;

import dev.postvault.imap.session.Connection;
import dev.postvault.imap.session.ImapContext;
import dev.postvault.imap.session.ImapSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP listener: port 143 style (plain, STARTTLS offered when TLS is configured) or port 993
 * style (implicit TLS, RFC 8314). Accepts on a platform thread; each connection runs on a virtual thread.
 */
public final class ImapServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapContext ctx;
    private final InetAddress bind;
    private final int requestedPort;
    private final boolean implicitTls;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean closed;

    public ImapServer(ImapContext ctx, InetAddress bind, int port, boolean implicitTls) {
        if (implicitTls && ctx.tls().isEmpty()) throw new IllegalArgumentException("implicit TLS needs a TLS context");
        this.ctx = ctx;
        this.bind = bind;
        this.requestedPort = port;
        this.implicitTls = implicitTls;
    }

    public void start() {
        try {
            server = implicitTls ? ctx.tls().get().getServerSocketFactory().createServerSocket() : new ServerSocket();
            if (server instanceof SSLServerSocket s) s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bind, requestedPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind.getHostAddress() + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        acceptor = Thread.ofPlatform().name("imap-accept-" + port()).daemon().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("accept failed on port {}: {}", port(), e.getMessage());
                continue;
            }
            if (live.size() >= ctx.config().maxConnections()) {
                refuse(s);
                continue;
            }
            live.add(s);
            Thread.ofVirtual().name("imap-" + port()).start(() -> {
                try (var conn = new Connection(s)) {
                    new ImapSession(conn, ctx, implicitTls).run();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("connection ended: {}", e.getClass().getSimpleName());
                } finally {
                    live.remove(s);
                }
            });
        }
    }

    private void refuse(Socket s) {
        try (s) {
            if (!implicitTls) {
                OutputStream out = s.getOutputStream();
                out.write("* BYE Too many connections, try again later\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException ignored) {
            // gone already
        }
    }

    public int activeConnections() {
        return live.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : live) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
