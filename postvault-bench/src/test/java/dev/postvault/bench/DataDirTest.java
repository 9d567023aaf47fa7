package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @Test
    void closeDeletesTheDirectoryWithEverythingInIt(@TempDir Path parent) throws Exception {
        Path p;
        try (DataDir dir = DataDir.create(parent, "t")) {
            p = dir.path();
            Files.createDirectories(p.resolve("a/b"));
            Files.write(p.resolve("a/b/file"), new byte[1000]);
            Files.write(p.resolve("top"), new byte[24]);
            assertThat(DataDir.sizeOf(p)).isEqualTo(1024);
        }
        assertThat(p).doesNotExist();
        assertThat(parent).isEmptyDirectory();
    }
}
