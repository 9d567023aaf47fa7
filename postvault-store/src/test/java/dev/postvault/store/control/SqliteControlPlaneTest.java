package dev.postvault.store.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.crypto.ServerKey;
import dev.postvault.store.DbGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteControlPlaneTest implements ControlPlaneContract {
    @TempDir Path dir;
    private SqliteControlPlane cp;

    @BeforeEach
    void open() {
        cp = SqliteControlPlane.open(dir, ServerKey.loadOrCreate(dir), new DbGate(2));
    }

    @AfterEach
    void close() {
        cp.close();
    }

    @Override
    public ControlPlane controlPlane() {
        return cp;
    }

    @Test
    void fileIsEncryptedAndSurvivesReopen() throws Exception {
        cp.addDomain("secret-domain.example");
        cp.addAlias(ControlPlaneContract.alias("someone@secret-domain.example", 1));
        cp.close();
        for (Path f : Files.list(dir).toList()) {
            if (Files.isDirectory(f)) continue;
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(content).as(f.toString()).doesNotContain("secret-domain").doesNotContain("SQLite format");
        }
        cp = SqliteControlPlane.open(dir, ServerKey.loadOrCreate(dir), new DbGate(2));
        assertThat(cp.alias("someone@secret-domain.example")).isPresent();
    }

    @Test
    void commitsAreFsyncedSinceEveryWriteIsAnAdministratorsCommand() {
        assertThat(cp.synchronousLevel()).isEqualTo(2);
    }

    @Test
    void addressesAreNormalised() {
        assertThat(Addresses.address(" Hello@Example.ORG ")).isEqualTo("hello@example.org");
        assertThat(Addresses.domain("bücher.example")).isEqualTo("xn--bcher-kva.example");
        for (String bad : new String[] {"no-at", "@x.org", "a@", "a b@x.org", "a@-x.org", "a@x", "a..b@x.org"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Addresses.address(bad)).as(bad)
                    .isInstanceOf(dev.postvault.store.StoreException.class);
        }
    }
}
