package dev.postvault.backup;

import dev.postvault.crypto.Durability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Backups in a local directory (by default {@code <data>/backups}). An object is written to a
 * temporary name, fsync'd, renamed into place and its directory fsync'd, so a crash leaves either the
 * whole object or none (temporary files are ignored and swept). Directories 0700, files 0600.
 */
public final class DirectoryTarget implements BackupTarget {
    private static final String TEMP_SUFFIX = ".partial";
    private final Path root;

    public DirectoryTarget(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            createDirs(this.root);
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "cannot create backup directory " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, Path file) {
        write(key, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void putMoving(String key, Path file) {
        write(key, tmp -> {
            try {
                Files.move(file, tmp, StandardCopyOption.ATOMIC_MOVE); // same file system: no copy of a large file
            } catch (IOException e) {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    @Override
    public void putBytes(String key, byte[] data) {
        write(key, tmp -> Files.write(tmp, data));
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private void write(String key, Writer w) {
        Path dest = resolve(key);
        Path tmp = dest.resolveSibling(dest.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            createDirs(dest.getParent());
            w.write(tmp);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            Durability.fsyncDirectoryIfSupported(dest.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // swept later
            }
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "writing " + key + " to " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void get(String key, Path dest) {
        try {
            Files.copy(resolve(key), dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new BackupException(BackupException.Kind.NOT_FOUND, "no " + key + " in " + describe());
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "reading " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && !k.endsWith(TEMP_SUFFIX))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "listing " + describe() + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, "deleting " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("bad backup key");
        }
        return root.resolve(key);
    }

    private static void createDirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        createDirs(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException ignored) {
            // made meanwhile
        }
    }

}
