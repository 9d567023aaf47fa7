package dev.postvault.smtp;

import dev.postvault.net.Tls;
import dev.postvault.smtp.codec.SmtpReply;
import dev.postvault.smtp.session.DeliveryPort;
import dev.postvault.smtp.session.SmtpSession;
import dev.postvault.smtp.session.SmtpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inbound MX SMTP listener. {@link #start()} binds and accepts on one platform thread; every
 * connection is served by a {@link SmtpSession} on its own virtual thread. Thread-safe.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final int ACCEPT_BACKLOG = 128;

    private final SmtpServerConfig config;
    private final DeliveryPort port;
    private final Semaphore connectionSlots;
    private final Map<Socket, Thread> live = new ConcurrentHashMap<>();
    private final AtomicLong connectionCounter = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
    private final Object lifecycle = new Object();
    private ServerSocket listener;
    private Thread acceptor;
    private volatile boolean closed;

    public SmtpServer(SmtpServerConfig config, DeliveryPort port) {
        this.config = config;
        this.port = port;
        this.connectionSlots = new Semaphore(config.maxConnections());
    }

    /** Binds the listening socket and starts accepting; throws {@link UncheckedIOException} if binding fails. */
    public void start() {
        synchronized (lifecycle) {
            if (listener != null || closed) {
                throw new IllegalStateException("already started or closed");
            }
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(config.bindAddress(), config.port()), ACCEPT_BACKLOG);
                listener = socket;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofPlatform().name("smtp-accept-" + listener.getLocalPort()).daemon(true)
                    .start(this::acceptLoop);
            log.info("SMTP listening on port {}{}", listener.getLocalPort(), config.implicitTls() ? " (TLS)" : "");
        }
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        synchronized (lifecycle) {
            if (listener == null) {
                throw new IllegalStateException("not started");
            }
            return listener.getLocalPort();
        }
    }

    /** Connections currently being served. */
    public int activeConnections() {
        return live.size();
    }

    /** Stops accepting, closes every live connection and waits briefly for their threads. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                closeQuietly(listener);
            }
        }
        live.keySet().forEach(SmtpServer::closeQuietly);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        try {
            if (acceptor != null) {
                acceptor.join(SHUTDOWN_GRACE);
            }
            for (Thread thread : live.values()) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("accept failed: {}", e.getClass().getSimpleName());
                    continue;
                }
                return;
            }
            String id = HexFormat.of().toHexDigits(connectionCounter.incrementAndGet() & 0xffffffffL).substring(8);
            if (!connectionSlots.tryAcquire()) {
                Thread.ofVirtual().name("smtp-busy-" + id).start(() -> refuseBusy(socket, id));
                continue;
            }
            Thread thread = Thread.ofVirtual().name("smtp-" + id).unstarted(() -> serve(socket, id));
            live.put(socket, thread);
            if (closed) { // close() may have swept the map before we registered this socket
                closeQuietly(socket);
            }
            thread.start();
        }
    }

    private void serve(Socket socket, String id) {
        String ip = socket.getInetAddress().getHostAddress();
        log.debug("conn={} ip={} connected", id, ip);
        try {
            socket.setTcpNoDelay(true);
            Socket active = socket;
            if (config.implicitTls()) {
                socket.setSoTimeout((int) config.limits().commandTimeout().toMillis());
                active = Tls.serverHandshake(config.tlsContext().orElseThrow(), socket); // RFC 8314 §3.3
            }
            SmtpTransport transport = new SocketTransport(id, active, config.tlsContext(), config.implicitTls());
            new SmtpSession(config.hostname(), config.limits(), port, transport).run();
        } catch (IOException | UncheckedIOException e) {
            log.debug("conn={} ip={} ended: {}", id, ip, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            log.error("conn={} ip={} session failed", id, ip, e);
        } finally {
            closeQuietly(socket);
            live.remove(socket);
            connectionSlots.release();
            log.debug("conn={} ip={} closed", id, ip);
        }
    }

    /** RFC 5321 §3.8: a server that cannot serve the connection answers 421 and closes. */
    private void refuseBusy(Socket socket, String id) {
        log.warn("conn={} ip={} refused: too many connections", id, socket.getInetAddress().getHostAddress());
        try (socket) {
            if (!config.implicitTls()) { // with implicit TLS a plaintext reply would be garbage to the client
                SmtpReply busy = SmtpReply.of(421, "4.3.2", config.hostname() + " too many connections, try later");
                socket.setSoTimeout(1000);
                socket.getOutputStream().write(busy.format().getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            log.debug("conn={} busy reply failed: {}", id, e.getClass().getSimpleName());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            if (!(e instanceof SocketException)) {
                log.debug("close failed: {}", e.getClass().getSimpleName());
            }
        }
    }
}
