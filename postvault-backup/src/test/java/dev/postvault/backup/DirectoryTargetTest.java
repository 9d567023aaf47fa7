package dev.postvault.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTargetTest implements BackupTargetContract {
    @TempDir Path dir;
    DirectoryTarget target;

    @BeforeEach
    void setUp() {
        target = new DirectoryTarget(dir.resolve("backups"));
    }

    @Override
    public BackupTarget target() {
        return target;
    }

    @Override
    public Path scratch() {
        return dir;
    }

    @Test
    void filesArePrivateAndTemporariesAreNotListed() throws Exception {
        target.putBytes("mailboxes/a/v.manifest", new byte[] {1});
        Path f = dir.resolve("backups/mailboxes/a/v.manifest");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent()))).isEqualTo("rwx------");
        Files.writeString(f.resolveSibling("v.sqlite.123.partial"), "half written by a killed process");
        assertThat(target.list("mailboxes/a/")).containsExactly("mailboxes/a/v.manifest");
    }
}
