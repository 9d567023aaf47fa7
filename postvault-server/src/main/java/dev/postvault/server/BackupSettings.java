package dev.postvault.server;

import dev.postvault.backup.BackupTarget;
import dev.postvault.backup.DirectoryTarget;
import dev.postvault.backup.MailboxBackups;
import dev.postvault.backup.Retention;
import dev.postvault.backup.S3Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how often backups go (ARCHITECTURE.md §5).
 *
 * @param directory the directory target; default {@code <data>/backups}. Ignored when {@code s3} is set.
 * @param s3 an S3-compatible bucket instead of a directory
 * @param interval time between scheduled runs of every mailbox; zero turns the schedule off
 * @param firstRunDelay time from server start to the first scheduled run
 */
public record BackupSettings(Optional<Path> directory, Optional<S3Target.Settings> s3, Retention retention, Duration interval,
                             Duration firstRunDelay) {
    public static final BackupSettings DEFAULT =
            new BackupSettings(Optional.empty(), Optional.empty(), Retention.DEFAULT, Duration.ofDays(1), Duration.ofMinutes(10));

    public BackupSettings {
        if (interval.isNegative() || firstRunDelay.isNegative()) throw new IllegalArgumentException("negative backup interval");
    }

    /** Opens the configured target; the caller closes it if it is {@link AutoCloseable}. */
    public BackupTarget openTarget(Path dataDir) {
        if (s3.isPresent()) return new S3Target(s3.get());
        return new DirectoryTarget(directory.orElse(dataDir.resolve("backups")));
    }

    /** The backup service of a node over a target. */
    public MailboxBackups service(Node node, BackupTarget target) {
        return new MailboxBackups(node.mailboxes(), node.spool(), target, node.dataDir().resolve("tmp"), retention, Clock.systemUTC());
    }
}
