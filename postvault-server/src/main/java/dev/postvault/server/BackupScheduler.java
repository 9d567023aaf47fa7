package dev.postvault.server;

import dev.postvault.backup.BackupException;
import dev.postvault.backup.MailboxBackups;
import dev.postvault.store.StoreException;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up every mailbox of the node on a fixed interval: a mailbox some session has open is
 * snapshotted with the key in memory; a dormant one is copied as ciphertext. A mailbox that cannot be
 * done now (busy, changing) is tried again at the next run. One virtual thread; runs never overlap.
 */
final class BackupScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    /** Counts of one run, for the log and tests. */
    record Run(int stored, int unchanged, int skipped, int failed) {}

    private final Node node;
    private final MailboxBackups backups;
    private final Thread thread;
    private volatile boolean closed;

    BackupScheduler(Node node, MailboxBackups backups, Duration interval, Duration firstDelay) {
        this.node = node;
        this.backups = backups;
        this.thread = Thread.ofVirtual().name("backup-scheduler").start(() -> loop(interval, firstDelay));
    }

    private void loop(Duration interval, Duration firstDelay) {
        try {
            Thread.sleep(firstDelay);
            while (!closed) {
                Run r = runOnce();
                LOG.info("scheduled backup: {} stored, {} unchanged, {} skipped, {} failed", r.stored(), r.unchanged(), r.skipped(), r.failed());
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    Run runOnce() {
        int stored = 0, unchanged = 0, skipped = 0, failed = 0;
        for (AliasRecord alias : node.control().aliases(Optional.empty())) {
            if (closed) break;
            Optional<Mailbox> open = node.mailboxes().openIfOpen(alias.id());
            try {
                switch (backups.backup(alias, open)) {
                    case MailboxBackups.Outcome.Stored s -> stored++;
                    case MailboxBackups.Outcome.Unchanged u -> unchanged++;
                    case MailboxBackups.Outcome.Skipped s -> {
                        skipped++;
                        LOG.info("mailbox {} not backed up now: {}", alias.id(), s.reason());
                    }
                }
            } catch (BackupException | StoreException e) {
                failed++;
                LOG.warn("backup of mailbox {} failed: {}", alias.id(), e.getMessage());
            } finally {
                open.ifPresent(Mailbox::close);
            }
        }
        return new Run(stored, unchanged, skipped, failed);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
