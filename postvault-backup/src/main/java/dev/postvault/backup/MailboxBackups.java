package dev.postvault.backup;

import dev.postvault.crypto.Bytes;
import dev.postvault.store.StoreException;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.mailbox.Snapshots;
import dev.postvault.store.spool.Spool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned backups of mailboxes (ARCHITECTURE.md §5) into one {@link BackupTarget}.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>Layout: {@code mailboxes/ALIAS/VERSION.sqlite} and {@code .manifest}; {@code spool/ALIAS/SEGMENT.LENGTH.seg}.
 *       Version ids sort by time ({@code 20261122T131500123Z-a1b2}).</li>
 *   <li>The data object is written before its manifest, and a manifest is deleted before its data, so
 *       a version is listed only when it is whole. Data objects without a manifest are swept once
 *       they are an hour old.</li>
 *   <li>With a key (an open mailbox) a version is a verified snapshot; without, a byte copy of a
 *       dormant file. Both are skipped when the source hashes as the latest version's did.</li>
 *   <li>Nothing leaves this class in clear: mailbox copies are encrypted under the DEK, spool files
 *       are sealed, manifests hold only the wrapped DEK and its KDF parameters.</li>
 * </ul>
 */
public final class MailboxBackups {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxBackups.class);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Duration ORPHAN_AGE = Duration.ofHours(1);

    /** What one backup run of one mailbox did. */
    public sealed interface Outcome {
        record Stored(Manifest manifest, int expired) implements Outcome {}

        /** Nothing changed since {@code latest}; nothing was stored. */
        record Unchanged(Manifest latest) implements Outcome {}

        /** Not backed up now, and why (it is retried at the next run). */
        record Skipped(String reason) implements Outcome {}
    }

    private final MailboxStore mailboxes;
    private final Spool spool;
    private final BackupTarget target;
    private final Path workDir;
    private final Retention retention;
    private final Clock clock;

    /** {@code workDir} holds copies while they are checked and uploaded; it should be on the data directory's file system. */
    public MailboxBackups(MailboxStore mailboxes, Spool spool, BackupTarget target, Path workDir, Retention retention, Clock clock) {
        this.mailboxes = mailboxes;
        this.spool = spool;
        this.target = target;
        this.workDir = workDir;
        this.retention = retention;
        this.clock = clock;
    }

    public BackupTarget target() {
        return target;
    }

    /**
     * Backs up one alias's mailbox and spool. With {@code open} (a handle whose key is in memory) a
     * verified snapshot is made; without, the file is copied as ciphertext if it is dormant.
     */
    public Outcome backup(AliasRecord alias, Optional<Mailbox> open) {
        List<Manifest> versions = versions(alias.id());
        Optional<Manifest> latest = versions.isEmpty() ? Optional.empty() : Optional.of(versions.getFirst());
        Optional<byte[]> previous = latest.flatMap(Manifest::sourceSha256);
        String version = VERSION_TIME.format(clock.instant()) + "-" + Bytes.hex(Bytes.random(2));
        Path copy = workDir.resolve(alias.id() + "-" + version + ".sqlite");
        try {
            Files.createDirectories(workDir);
            Snapshots.Result r;
            Optional<Integer> schema = Optional.empty();
            if (open.isPresent()) {
                r = open.get().snapshot(copy, previous);
                if (r instanceof Snapshots.Result.Written) schema = Optional.of(open.get().verifyCopy(copy));
            } else {
                try {
                    r = mailboxes.copyDormant(alias.id(), copy, previous);
                } catch (StoreException e) {
                    if (e.kind() == StoreException.Kind.IN_USE || e.kind() == StoreException.Kind.TEMPORARY) {
                        return new Outcome.Skipped(e.getMessage());
                    }
                    throw e;
                }
            }
            mirrorSpool(alias.id());
            if (r instanceof Snapshots.Result.Unchanged) return new Outcome.Unchanged(latest.orElseThrow());
            var written = (Snapshots.Result.Written) r;
            // A dormant copy is the source byte for byte: its hash was taken while copying. A snapshot
            // was re-encrypted and opened by its check, so it is hashed as it now stands.
            byte[] sha = open.isPresent() ? Snapshots.sha256(copy) : written.sourceSha256().orElseThrow();
            var c = alias.credentials();
            Manifest m = new Manifest(alias.id(), version, clock.instant(), open.isPresent() ? Manifest.Kind.SNAPSHOT : Manifest.Kind.CIPHERTEXT,
                    Files.size(copy), sha, written.sourceSha256(), schema, c.argon2(), c.salt(), c.wrappedDek(), c.recoveryWrappedDek());
            target.putMoving(dataKey(alias.id(), version), copy);
            target.putBytes(manifestKey(alias.id(), version), m.encode()); // last: the version exists from here on
            List<Manifest> all = new ArrayList<>(versions);
            all.addFirst(m);
            int expired = expire(alias.id(), all);
            LOG.info("backed up mailbox {} as version {} ({} bytes)", alias.id(), version, m.size());
            return new Outcome.Stored(m, expired);
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "backup of mailbox " + alias.id() + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(copy);
        }
    }

    /** Whole versions of an alias's mailbox, newest first. */
    public List<Manifest> versions(String aliasId) {
        List<Manifest> out = new ArrayList<>();
        for (String key : target.list(prefix(aliasId))) {
            if (!key.endsWith(".manifest")) continue;
            target.getBytes(key).map(Manifest::decode).filter(m -> m.aliasId().equals(aliasId)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Manifest::version).reversed());
        return out;
    }

    /**
     * Downloads a version to {@code dest} and checks it against its manifest's SHA-256; returns the
     * manifest. CORRUPT when the bytes differ, NOT_FOUND when there is no such whole version.
     */
    public Manifest fetch(String aliasId, String version, Path dest) {
        Manifest m = target.getBytes(manifestKey(aliasId, version)).map(Manifest::decode)
                .orElseThrow(() -> new BackupException(BackupException.Kind.NOT_FOUND, "no backup version " + version));
        target.get(dataKey(aliasId, version), dest);
        try {
            byte[] sha = Snapshots.sha256(dest);
            if (!java.security.MessageDigest.isEqual(sha, m.sha256())) {
                deleteQuietly(dest);
                throw new BackupException(BackupException.Kind.CORRUPT, "backup version " + version + " does not match its checksum");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Applies the retention policy; returns how many versions were removed. */
    private int expire(String aliasId, List<Manifest> newestFirst) {
        List<Manifest> doomed = retention.expired(newestFirst);
        for (Manifest m : doomed) {
            target.delete(manifestKey(aliasId, m.version())); // first: the version stops being listed
            target.delete(dataKey(aliasId, m.version()));
        }
        Set<String> listed = new HashSet<>();
        newestFirst.forEach(m -> listed.add(m.version()));
        Instant cutoff = clock.instant().minus(ORPHAN_AGE);
        for (String key : target.list(prefix(aliasId))) {
            if (!key.endsWith(".sqlite")) continue;
            String v = key.substring(prefix(aliasId).length(), key.length() - ".sqlite".length());
            if (!listed.contains(v) && versionTime(v).map(t -> t.isBefore(cutoff)).orElse(false)) target.delete(key);
        }
        return doomed.size();
    }

    /**
     * The spool's sealed segments mirrored as they are: each under a key that carries its length, so a
     * segment that grew since the last run is uploaded again and the shorter copy removed; drained
     * segments are removed too.
     */
    private void mirrorSpool(String aliasId) {
        String prefix = "spool/" + aliasId + "/";
        Set<String> remote = new HashSet<>(target.list(prefix));
        Set<String> local = new HashSet<>();
        for (Path segment : spool.sealedSegments(aliasId)) {
            String name = segment.getFileName().toString();
            long size;
            try {
                size = Files.size(segment);
            } catch (IOException drained) {
                continue;
            }
            String key = prefix + name.substring(0, name.length() - ".seg".length()) + "." + size + ".seg";
            local.add(key);
            if (remote.contains(key)) continue;
            try {
                target.put(key, segment);
            } catch (BackupException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) throw e; // drained meanwhile
                local.remove(key);
            }
        }
        for (String key : remote) if (!local.contains(key)) target.delete(key);
    }

    static Optional<Instant> versionTime(String version) {
        try {
            return Optional.of(Instant.from(VERSION_TIME.parse(version.substring(0, version.indexOf('-')))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String prefix(String aliasId) {
        return "mailboxes/" + aliasId + "/";
    }

    static String dataKey(String aliasId, String version) {
        return prefix(aliasId) + version + ".sqlite";
    }

    static String manifestKey(String aliasId, String version) {
        return prefix(aliasId) + version + ".manifest";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file; swept with the work directory
        }
    }
}
