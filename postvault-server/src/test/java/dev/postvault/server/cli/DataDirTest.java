package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the first command leaves on disk, and how the CLI reports a data directory it cannot use. */
class DataDirTest {
    @TempDir Path tmp;

    @Test
    void firstCommandCreatesAPrivateDataDirectory() throws IOException {
        Path data = tmp.resolve("fresh").resolve("data");

        Cli.Result r = Cli.run(Map.of(), "domain", "add", "example.org", "--data-dir", data.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("server.key")))).isEqualTo("rw-------");
        assertThat(Files.size(data.resolve("server.key"))).isEqualTo(32);
        assertThat(data.resolve("control.sqlite")).isRegularFile();
        assertThat(Cli.filesContaining(data, "example.org")).as("domain names are stored encrypted").isEmpty();
        assertThat(Cli.filesContaining(data, "SQLite format 3")).as("no database is stored in clear").isEmpty();
    }

    @Test
    void refusesAServerKeyOthersCanRead() throws IOException {
        Path data = tmp.resolve("data");
        assertThat(Cli.run(Map.of(), "domain", "add", "example.org", "--data-dir", data.toString()).exitCode()).isZero();
        Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result r = Cli.run(Map.of(), "domain", "list", "--data-dir", data.toString());

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("postvault: ").contains("chmod 600").doesNotContain("\tat ");
    }

    @Test
    void dataDirThatIsAFileIsReportedWithoutAStackTrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        Cli.Result r = Cli.run(Map.of(), "domain", "list", "--data-dir", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).startsWith("postvault: ").doesNotContain("\tat ");
    }
}
