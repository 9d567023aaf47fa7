package dev.postvault.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP relay on loopback in front of a server port that hands the client what the server wrote
 * in quick succession as one piece, as a network with some latency does. Straight over loopback, a
 * client that is waiting usually reads each of the server's writes on its own, so a bug that shows only
 * when two writes arrive together (mbsync reading "OK DEFLATE active" and the first compressed octets in
 * one read) passes there by luck. Client-to-server traffic passes unchanged. The server still sees a
 * loopback peer.
 */
final class CoalescingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final Duration gather;

    /** Relays to {@code serverPort}; after each read from the server, waits {@code gather} for more before passing it on. */
    CoalescingRelay(int serverPort, Duration gather) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.serverPort = serverPort;
        this.gather = gather;
        Thread.ofVirtual().name("relay-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (true) {
            Socket client;
            Socket server;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            // Each direction half-closes the other side at its end; the second to end closes both.
            var ended = new AtomicInteger();
            Runnable end = () -> {
                if (ended.incrementAndGet() == 2) {
                    closeQuietly(client);
                    closeQuietly(server);
                }
            };
            Thread.ofVirtual().start(() -> pipe(client, server, Duration.ZERO, end));
            Thread.ofVirtual().start(() -> pipe(server, client, gather, end));
        }
    }

    private static void pipe(Socket from, Socket to, Duration gather, Runnable end) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                if (!gather.isZero()) {
                    Thread.sleep(gather);
                    for (int more; n < buf.length && (more = Math.min(in.available(), buf.length - n)) > 0; ) {
                        int got = in.read(buf, n, more);
                        if (got < 0) break; // the end: the next read says so again
                        n += got;
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            end.run();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed or reset by the peer: nothing left to relay
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
