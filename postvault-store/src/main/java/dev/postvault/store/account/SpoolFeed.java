package dev.postvault.store.account;

import dev.postvault.store.StoreException;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.events.ChangeEvent;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.spool.Spool;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains an open mailbox's spool: once at login on the caller's thread, then on a virtual thread
 * whenever the MX seals new mail for the alias, and again after a drain that stopped (a full disk,
 * an I/O error) with a growing pause until one succeeds. A drain commits in batches as space allows
 * ({@link Spool#drain}), so every retry moves what fits; nothing acknowledged is lost or delivered
 * twice, because drains are idempotent.
 */
final class SpoolFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFeed.class);

    /** Pauses between drains that failed: from {@code first}, doubling up to {@code max}. */
    record Retry(Duration first, Duration max) {
        static final Retry DEFAULT = new Retry(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    private final Spool spool;
    private final Mailbox mailbox;
    private final ChangeBus.Subscription arrivals;
    private final Retry retry;
    /** Set by every arrival and failed drain; the worker runs while it finds it set. */
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean behind;
    private volatile boolean closed;
    private volatile Thread worker;
    /** The worker waits here between failed drains; closing wakes it (never interrupts a drain). */
    private final Object pauses = new Object();

    SpoolFeed(Spool spool, Mailbox mailbox, ChangeBus bus, Retry retry) {
        this.spool = spool;
        this.mailbox = mailbox;
        this.retry = retry;
        this.arrivals = bus.subscribe(mailbox.aliasId(), e -> {
            if (e instanceof ChangeEvent.SpoolArrived) request();
        });
    }

    /** The login's drain, on the caller's thread; when it cannot finish, the worker takes over. */
    void start() {
        if (!drainOnce()) request();
    }

    private void request() {
        requested.set(true);
        if (closed || !running.compareAndSet(false, true)) return;
        worker = Thread.ofVirtual().name("spool-feed-" + mailbox.aliasId()).start(this::work);
    }

    private void work() {
        Duration pause = retry.first();
        try {
            while (!closed) {
                if (!requested.getAndSet(false)) {
                    running.set(false);
                    // An arrival between the check above and the reset must not be left waiting.
                    if (!requested.get() || !running.compareAndSet(false, true)) return;
                    continue;
                }
                if (drainOnce()) {
                    pause = retry.first();
                } else {
                    requested.set(true);
                    synchronized (pauses) {
                        if (!closed) pauses.wait(pause.toMillis());
                    }
                    pause = pause.multipliedBy(2).compareTo(retry.max()) > 0 ? retry.max() : pause.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (closed) running.set(false);
        }
    }

    /** One drain; false when it stopped before the spool was empty. */
    private boolean drainOnce() {
        try {
            spool.drain(mailbox);
            if (behind) LOG.info("alias {}: the spool is drained again", mailbox.aliasId());
            behind = false;
            return true;
        } catch (StoreException e) {
            if (closed) return true;
            if (!behind) LOG.warn("alias {}: the spool could not be drained ({}); retrying", mailbox.aliasId(), e.getMessage());
            else LOG.debug("alias {}: the spool still cannot be drained ({})", mailbox.aliasId(), e.getMessage());
            behind = true;
            return false;
        }
    }

    /** Stops the feed; a drain in progress finishes first (the mailbox closes after this). */
    @Override
    public void close() {
        closed = true;
        arrivals.close();
        synchronized (pauses) {
            pauses.notifyAll();
        }
        Thread w = worker;
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
