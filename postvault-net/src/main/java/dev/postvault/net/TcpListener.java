package dev.postvault.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening port, for every protocol: accepts on a platform thread and serves every connection
 * on its own virtual thread with plain blocking I/O. Over {@code maxConnections} a connection gets
 * {@code busyLine} (not on implicit TLS, where plaintext would be garbage) and is closed. Closing
 * stops accepting, closes every connection and waits briefly for their threads.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

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
    private final Map<Socket, Thread> live = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean closed;

    public TcpListener(Config config, Handler handler) {
        this.config = config;
        this.handler = handler;
    }

    /** Binds and starts accepting; a port that cannot be bound is an {@link UncheckedIOException}. */
    public void start() {
        synchronized (lifecycle) {
            if (server != null || closed) throw new IllegalStateException("already started or closed");
            ServerSocket s = null;
            try {
                s = config.implicitTls().isPresent() ? Tls.serverSocket(config.implicitTls().get()) : new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(config.bind(), config.port()), 128);
            } catch (IOException e) {
                if (s != null) closeQuietly(s);
                throw new UncheckedIOException("cannot listen on " + config.bind().getHostAddress() + ":" + config.port() + ": " + e.getMessage(), e);
            }
            server = s;
            acceptor = Thread.ofPlatform().name(config.name() + "-accept-" + s.getLocalPort()).daemon().start(this::acceptLoop);
        }
        LOG.info("{} listening on port {}", config.name(), port());
    }

    /** The bound port (the one the system picked when the configured port is 0). */
    public int port() {
        synchronized (lifecycle) {
            if (server == null) throw new IllegalStateException("not started");
            return server.getLocalPort();
        }
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
                if (closed) return;
                LOG.warn("{} accept failed on port {}: {}", config.name(), port(), e.getMessage());
                continue;
            }
            if (live.size() >= config.maxConnections()) {
                Thread.ofVirtual().start(() -> refuse(s));
                continue;
            }
            Thread thread = Thread.ofVirtual().name(config.name() + "-" + s.getLocalPort()).unstarted(() -> serve(s));
            live.put(s, thread);
            if (closed) closeQuietly(s); // close() may have swept the map before this socket joined it
            thread.start();
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

    /** Stops accepting, closes every connection and waits up to five seconds for their threads. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            if (server != null) closeQuietly(server);
        }
        live.keySet().forEach(TcpListener::closeQuietly);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        try {
            if (acceptor != null) acceptor.join(SHUTDOWN_GRACE);
            for (Thread t : live.values()) {
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
