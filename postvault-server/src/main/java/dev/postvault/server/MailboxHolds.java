package dev.postvault.server;

import dev.postvault.store.mailbox.MailboxStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command-line tool makes a running server let go of a mailbox (for a restore), through files
 * in {@code data/requests/}:
 * <ol>
 *   <li>The tool creates {@code hold-ALIAS} and keeps an OS lock on it while it works.</li>
 *   <li>The server (polling) withdraws the mailbox: its sessions end, the file is closed, new opens
 *       wait; then it writes {@code hold-ALIAS.held}.</li>
 *   <li>The tool swaps the file and deletes its request; the server gives the mailbox back.</li>
 * </ol>
 * If the tool dies, its lock goes with it: the server finishes or undoes an interrupted swap
 * ({@link MailboxStore#recoverReplacements()}), removes the request, and gives the mailbox back.
 */
public final class MailboxHolds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxHolds.class);
    private static final Pattern REQUEST = Pattern.compile("hold-([0-9a-f]{32})");
    static final Duration POLL = Duration.ofMillis(100);

    private final Path dir;
    private final MailboxStore mailboxes;
    private final Set<String> held = new HashSet<>();
    private final Thread poller;
    private volatile boolean closed;

    /** Server side: starts watching for requests. */
    public MailboxHolds(Path dataDir, MailboxStore mailboxes) {
        this.dir = dataDir.resolve("requests");
        this.mailboxes = mailboxes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        poller = Thread.ofVirtual().name("mailbox-holds").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                poll();
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                LOG.warn("handling mailbox hold requests failed: {}", e.getMessage());
            }
        }
    }

    void poll() throws IOException {
        Set<String> requested = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                var m = REQUEST.matcher(p.getFileName().toString());
                if (m.matches()) requested.add(m.group(1));
            }
        }
        for (String alias : requested) {
            Path request = dir.resolve("hold-" + alias);
            if (!held.contains(alias)) {
                mailboxes.withdraw(alias);
                held.add(alias);
                Files.writeString(dir.resolve("hold-" + alias + ".held"), "");
                LOG.info("mailbox {} withdrawn for a restore", alias);
            } else if (!requesterAlive(request)) {
                LOG.warn("the tool that asked for mailbox {} is gone; finishing its swap and giving the mailbox back", alias);
                mailboxes.recoverReplacements();
                Files.deleteIfExists(request);
            }
        }
        for (String alias : Set.copyOf(held)) {
            if (Files.exists(dir.resolve("hold-" + alias))) continue;
            Files.deleteIfExists(dir.resolve("hold-" + alias + ".held"));
            mailboxes.giveBack(alias);
            held.remove(alias);
            LOG.info("mailbox {} given back", alias);
        }
    }

    /** The requesting tool keeps an OS lock on its request file for as long as it runs. */
    private static boolean requesterAlive(Path request) {
        try (FileChannel ch = FileChannel.open(request, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // locked by this JVM (a tool run in-process, as tests do)
        } catch (IOException e) {
            return Files.exists(request);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }

    /**
     * Tool side: asks the running server for a mailbox and waits until it has let go. Closing the
     * returned hold gives the mailbox back.
     */
    public static Request request(Path dataDir, String aliasId, Duration timeout) {
        Path d = dataDir.resolve("requests");
        Path request = d.resolve("hold-" + aliasId);
        Path ack = d.resolve("hold-" + aliasId + ".held");
        try {
            Files.createDirectories(d);
            FileChannel ch = FileChannel.open(request, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(ack)) {
                if (System.nanoTime() > deadline) {
                    lock.release();
                    ch.close();
                    Files.deleteIfExists(request);
                    throw new IllegalStateException("the running server did not let go of the mailbox within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(POLL);
            }
            return new Request(request, ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** A granted hold; {@link #close()} gives the mailbox back to the server. */
    public record Request(Path file, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
