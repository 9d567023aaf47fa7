package dev.postvault.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening port: accepts on a platform thread and serves every connection on its own virtual
 * thread with plain blocking I/O. Over {@code maxConnections} a connection gets {@code busyLine} (not
 * on implicit TLS, where plaintext would be garbage) and is closed.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    /** Serves one connection to its end; the listener closes the connection afterwards. */
    @FunctionalInterface
    public interface Handler {
        void serve(ClientConnection connection) throws IOException;
    }

    /**
     * @param name protocol name for thread names and the log ("imap", "pop3s")
     * @param implicitTls the TLS context when the port speaks TLS from the first byte
     * @param busyLine the protocol's "too many connections" line, CRLF included
     */
    public record Config(String name, InetAddress bind, int port, Optional<SSLContext> implicitTls, int maxConnections, String busyLine) {}

    private final Config config;
    private final Handler handler;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private volatile boolean closed;

    public TcpListener(Config config, Handler handler) {
        this.config = config;
        this.handler = handler;
    }

    /** Binds and starts accepting; a port that cannot be bound is an {@link UncheckedIOException}. */
    public void start() {
        try {
            server = config.implicitTls().isPresent() ? Tls.serverSocket(config.implicitTls().get()) : new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(config.bind(), config.port()), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bind().getHostAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        Thread.ofPlatform().name(config.name() + "-accept-" + port()).daemon().start(this::acceptLoop);
        LOG.info("{} listening on port {}", config.name(), port());
    }

    public int port() {
        return server.getLocalPort();
    }

    public int activeConnections() {
        return live.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("{} accept failed on port {}: {}", config.name(), port(), e.getMessage());
                continue;
            }
            if (live.size() >= config.maxConnections()) {
                Thread.ofVirtual().start(() -> refuse(s));
                continue;
            }
            live.add(s);
            if (closed) closeQuietly(s); // close() may have swept the set before this socket joined it
            Thread.ofVirtual().name(config.name() + "-" + port()).start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (var conn = new ClientConnection(s)) {
            s.setTcpNoDelay(true);
            handler.serve(conn);
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("{} connection ended: {}", config.name(), e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("{} connection failed", config.name(), e);
        } finally {
            live.remove(s);
        }
    }

    private void refuse(Socket s) {
        LOG.warn("{} refused a connection: {} connections open", config.name(), live.size());
        try (s) {
            if (config.implicitTls().isEmpty()) {
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write(config.busyLine().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException ignored) {
            // gone already
        }
    }

    @Override
    public void close() {
        closed = true;
        if (server != null) closeQuietly(server);
        live.forEach(TcpListener::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
