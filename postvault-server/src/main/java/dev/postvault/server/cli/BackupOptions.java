package dev.postvault.server.cli;

import dev.postvault.backup.Retention;
import dev.postvault.backup.S3Target;
import dev.postvault.server.BackupSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where backups go, shared by {@code serve}, {@code backup} and {@code restore}. Like the server's
 * settings these also come from {@code POSTVAULT_BACKUP_*} and the config file; the S3 secret key
 * belongs there rather than on a command line other users can see.
 */
final class BackupOptions {
    @Option(names = "--backup-dir", paramLabel = "DIR", description = "Backup directory (default: DATA-DIR/backups), unless S3 is configured.")
    Path dir;

    @Option(names = "--backup-s3-bucket", paramLabel = "NAME", description = "Back up to this S3 bucket instead of a directory.")
    String s3Bucket;

    @Option(names = "--backup-s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint (default: AWS).")
    URI s3Endpoint;

    @Option(names = "--backup-s3-region", paramLabel = "REGION", defaultValue = "us-east-1", description = "S3 region (default: ${DEFAULT-VALUE}).")
    String s3Region;

    @Option(names = "--backup-s3-prefix", paramLabel = "PREFIX", defaultValue = "", description = "Key prefix inside the bucket.")
    String s3Prefix;

    @Option(names = "--backup-s3-path-style", paramLabel = "BOOL", defaultValue = "false", arity = "1",
            description = "Path-style bucket URLs, for MinIO, s3proxy and the like (default: ${DEFAULT-VALUE}).")
    boolean s3PathStyle;

    @Option(names = "--backup-s3-access-key", paramLabel = "KEY", description = "S3 access key id.")
    String s3AccessKey;

    @Option(names = "--backup-s3-secret-key", paramLabel = "SECRET",
            description = "S3 secret key; better set as POSTVAULT_BACKUP_S3_SECRET_KEY or in the config file.")
    String s3SecretKey;

    @Option(names = "--backup-keep-daily", paramLabel = "N", defaultValue = "7", description = "Daily versions kept (default: ${DEFAULT-VALUE}).")
    int keepDaily;

    @Option(names = "--backup-keep-weekly", paramLabel = "N", defaultValue = "4", description = "Weekly versions kept (default: ${DEFAULT-VALUE}).")
    int keepWeekly;

    BackupSettings settings(Duration interval, Duration firstRunDelay) {
        Optional<S3Target.Settings> s3 = Optional.empty();
        if (s3Bucket != null && !s3Bucket.isBlank()) {
            if (s3AccessKey == null || s3SecretKey == null) {
                throw new Main.CliException(ExitCodes.USAGE, "S3 backups need --backup-s3-access-key and a secret key (POSTVAULT_BACKUP_S3_SECRET_KEY)");
            }
            s3 = Optional.of(new S3Target.Settings(Optional.ofNullable(s3Endpoint), s3Region, s3Bucket, s3Prefix, s3PathStyle, s3AccessKey, s3SecretKey));
        }
        if (keepDaily < 1 || keepWeekly < 0) throw new Main.CliException(ExitCodes.USAGE, "keep at least one daily backup version");
        return new BackupSettings(Optional.ofNullable(dir), s3, new Retention(keepDaily, keepWeekly), interval, firstRunDelay);
    }

    BackupSettings settings() {
        return settings(Duration.ZERO, Duration.ZERO);
    }

    /** "30s", "10m", "24h", "7d", or "0" (off). */
    static Duration duration(String s) {
        String t = s.strip();
        if (t.equals("0")) return Duration.ZERO;
        if (t.length() < 2) throw new Main.CliException(ExitCodes.USAGE, "bad duration: " + s + " (use e.g. 30m, 24h, 7d or 0)");
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new Main.CliException(ExitCodes.USAGE, "bad duration: " + s + " (use e.g. 30m, 24h, 7d or 0)");
        }
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new Main.CliException(ExitCodes.USAGE, "bad duration: " + s + " (use e.g. 30m, 24h, 7d or 0)");
        };
    }
}
