package dev.postvault.store.mailbox;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.DbGate;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.Optional;

/**
 * Copies of mailbox files for backups (ARCHITECTURE.md §5), made by the store because only it knows
 * when a file is consistent:
 * <ul>
 *   <li>{@link Mailbox#snapshot}: with the key, writes held off, {@code wal_checkpoint(PASSIVE)} and
 *       {@code VACUUM INTO}; the copy stays encrypted under the same key.</li>
 *   <li>{@link MailboxStore#copyDormant}: without the key, a byte copy of a file that is closed and
 *       checkpointed (no WAL frames), checked unchanged afterwards.</li>
 * </ul>
 * Both first compare the source file's SHA-256 with the previous backup's, so an unchanged mailbox
 * costs one read of the file and stores nothing. (The copy's own hash cannot serve: SQLite3MC draws a
 * fresh nonce for every page it writes, so two VACUUMs of the same data differ in every byte.)
 */
public final class Snapshots {
    private static final int CHECKPOINT_ATTEMPTS = 10;
    private static final long CHECKPOINT_RETRY_MILLIS = 20;

    private Snapshots() {}

    /** What a snapshot or copy did. */
    public sealed interface Result {
        /** The source file's hash equals the previous one: nothing was written. */
        record Unchanged(byte[] sourceSha256) implements Result {}

        /**
         * A copy was written. {@code sourceSha256} is present when the source file held the whole
         * mailbox at that moment (a complete checkpoint), so the next run can compare against it.
         */
        record Written(Optional<byte[]> sourceSha256) implements Result {}
    }

    /** Under the mailbox's write lock, outside any transaction (VACUUM refuses to run inside one). */
    static Result snapshot(Connection writer, Path source, Path dest, Optional<byte[]> previousSourceSha256) throws Exception {
        boolean complete = false;
        // A reader still on an older snapshot (a session's query, background indexing) keeps the
        // checkpoint from finishing; readers are short, so a few quick retries usually get it all.
        for (int attempt = 0; attempt < CHECKPOINT_ATTEMPTS && !complete; attempt++) {
            if (attempt > 0) Thread.sleep(CHECKPOINT_RETRY_MILLIS);
            try (var s = writer.createStatement(); var rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                // busy = 0 and every WAL frame copied back: the main file alone now holds the mailbox.
                complete = rs.getInt(1) == 0 && rs.getInt(2) == rs.getInt(3);
            }
        }
        Optional<byte[]> sourceSha = complete ? Optional.of(sha256(source)) : Optional.empty();
        if (sourceSha.isPresent() && previousSourceSha256.isPresent()
                && MessageDigest.isEqual(sourceSha.get(), previousSourceSha256.get())) {
            return new Result.Unchanged(sourceSha.get());
        }
        Files.deleteIfExists(dest);
        try (var s = writer.createStatement()) {
            s.execute("VACUUM INTO '" + dest.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (Exception e) {
            Files.deleteIfExists(dest); // a full disk leaves a partial file; the mailbox itself is untouched
            throw e;
        }
        return new Result.Written(sourceSha);
    }

    /**
     * Opens a copy with the key and runs {@code PRAGMA integrity_check}; returns the copy's schema
     * version. CORRUPT when it cannot be decrypted or is damaged.
     */
    static int verify(DbGate gate, Path copy, SecretKey32 dek) {
        return gate.run(() -> {
            try (Connection c = Sqlite.open(copy, dek); var s = c.createStatement()) {
                try (var rs = s.executeQuery("PRAGMA integrity_check")) {
                    String first = rs.next() ? rs.getString(1) : "no result";
                    if (!"ok".equals(first)) throw new StoreException(StoreException.Kind.CORRUPT, "backup copy failed its integrity check");
                }
                int version = Sqlite.userVersion(c);
                s.execute("PRAGMA journal_mode=DELETE"); // leave a single self-contained file behind
                return version;
            }
        });
    }

    /**
     * Re-keys a snapshot from the raw DEK to a passphrase (SQLite3MC's chacha20 key derivation), as a
     * self-contained file (rollback journal, no WAL) that any SQLite3MultipleCiphers tool opens with
     * {@code cipher=chacha20} and the passphrase alone.
     */
    static void rekeyToPassphrase(DbGate gate, Path copy, SecretKey32 dek, String passphrase) {
        gate.run(() -> {
            try (Connection c = Sqlite.open(copy, dek); var s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=DELETE"); // SQLite3MC cannot re-key a database in WAL mode
                s.execute("PRAGMA rekey='" + passphrase.replace("'", "''") + "'");
            }
            return null;
        });
    }

    /** A byte copy of a closed, checkpointed file; TEMPORARY when it changed while being copied. */
    static Result copyQuiet(Path source, Path dest, Optional<byte[]> previousSha256) throws IOException {
        Path wal = source.resolveSibling(source.getFileName() + "-wal");
        if (Files.exists(wal) && Files.size(wal) > 0) {
            throw new StoreException(StoreException.Kind.IN_USE, "mailbox has unwritten changes; it is backed up at its next quiet moment");
        }
        long size = Files.size(source);
        FileTime modified = Files.getLastModifiedTime(source);
        MessageDigest md = newSha256();
        Files.deleteIfExists(dest);
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), md);
             OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(dest);
            throw e;
        }
        boolean walWritten = Files.exists(wal) && Files.size(wal) > 0;
        if (walWritten || Files.size(source) != size || !Files.getLastModifiedTime(source).equals(modified)) {
            Files.deleteIfExists(dest);
            throw new StoreException(StoreException.Kind.TEMPORARY, "mailbox changed during the copy; try again");
        }
        byte[] sha = md.digest();
        if (previousSha256.isPresent() && MessageDigest.isEqual(sha, previousSha256.get())) {
            Files.deleteIfExists(dest);
            return new Result.Unchanged(sha);
        }
        return new Result.Written(Optional.of(sha));
    }

    /** SHA-256 of a file, streamed. */
    public static byte[] sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
