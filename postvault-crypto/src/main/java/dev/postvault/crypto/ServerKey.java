package dev.postvault.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The installation's server key (ARCHITECTURE.md §2): 32 random bytes in {@code <data>/server.key},
 * mode 0600, created on first start. It encrypts the control plane, the spool container and in-memory
 * caches; it never opens a mailbox. Subkeys are derived per purpose with HKDF so one leak of a derived
 * key does not expose the others.
 */
public final class ServerKey {
    public static final String FILE_NAME = "server.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final SecretKey32 root;

    private ServerKey(SecretKey32 root) {
        this.root = root;
    }

    /** Loads the key, creating it atomically (write, fsync, link into place) when absent. */
    public static ServerKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) create(file);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw CryptoException.malformed(file + " must be readable by its owner only (chmod 600)");
            }
            byte[] b = Files.readAllBytes(file);
            if (b.length != SecretKey32.LENGTH) throw CryptoException.malformed(file + " is not a server key");
            try {
                return new ServerKey(SecretKey32.of(b));
            } finally {
                Bytes.wipe(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".server.key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        byte[] b = Bytes.random(SecretKey32.LENGTH);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(b));
            ch.force(true);
        } finally {
            Bytes.wipe(b);
        }
        try {
            // A hard link fails if another process won the race; then both use the winner's key.
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // fine: keep theirs
        } catch (UnsupportedOperationException | IOException noLinks) {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        Durability.fsyncDirectory(file.getParent());
    }

    /** A subkey for one purpose, e.g. {@code "control-plane"} or {@code "spool"}. */
    public SecretKey32 subkey(String purpose) {
        return Hkdf.subkey(root, "postvault/v1/server/" + purpose);
    }
}
