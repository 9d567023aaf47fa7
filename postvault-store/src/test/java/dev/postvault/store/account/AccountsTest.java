package dev.postvault.store.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.mailbox.Mailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir Path dir;
    private StoreFixture fx;

    @BeforeEach
    void setUp() {
        fx = new StoreFixture(dir, Duration.ZERO);
        fx.control.addDomain("example.org");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void generatedPasswordLogsInAndOpensTheMailbox() {
        var created = fx.accounts.createAlias("Hello@Example.org", Optional.empty(), false);
        assertThat(created.alias().address()).isEqualTo("hello@example.org");
        assertThat(created.recoveryKey()).isEmpty();
        Unlocked u = fx.accounts.login("hello@example.org", created.password());
        try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
            assertThat(m.folders()).hasSize(6);
        }
        assertThat(fx.mailboxes.file(u.alias().id()).getFileName().toString()).doesNotContain("hello").doesNotContain("example");
    }

    @Test
    void wrongPasswordAndUnknownAliasFailAlikeWithoutOpeningTheMailbox() throws Exception {
        var created = fx.accounts.createAlias("a@example.org", Optional.of("a long enough password"), false);
        Path file = fx.mailboxes.file(created.alias().id());
        var before = Files.getLastModifiedTime(file);
        assertThatThrownBy(() -> fx.accounts.login("a@example.org", "wrong password!!")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> fx.accounts.login("nobody@example.org", "whatever password")).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED);
                    assertThat(e.getMessage()).isEqualTo("authentication failed");
                });
        assertThatThrownBy(() -> fx.accounts.login("not an address", "whatever password")).isInstanceOf(StoreException.class);
        assertThat(fx.mailboxes.openCount()).isZero();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(before);
    }

    @Test
    void passwordChangeRewrapsTheSameDekAndRetiresTheOldPassword() throws Exception {
        var created = fx.accounts.createAlias("a@example.org", Optional.of("first password 123"), false);
        SecretKey32 dek = fx.accounts.login("a@example.org", "first password 123").dek();
        byte[] mailboxBefore = Files.readAllBytes(fx.mailboxes.file(created.alias().id()));
        fx.accounts.changePassword("a@example.org", "first password 123", "second password 456");
        assertThat(fx.accounts.login("a@example.org", "second password 456").dek()).isEqualTo(dek);
        assertThatThrownBy(() -> fx.accounts.login("a@example.org", "first password 123")).isInstanceOf(StoreException.class);
        assertThat(Files.readAllBytes(fx.mailboxes.file(created.alias().id()))).as("mailbox not rewritten").isEqualTo(mailboxBefore);
        assertThatThrownBy(() -> fx.accounts.changePassword("a@example.org", "first password 123", "third password 789"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> fx.accounts.changePassword("a@example.org", "second password 456", "short"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
    }

    @Test
    void recoveryKeyReplacesAForgottenPassword() {
        var created = fx.accounts.createAlias("a@example.org", Optional.empty(), true);
        String recovery = created.recoveryKey().orElseThrow();
        SecretKey32 dek = fx.accounts.login("a@example.org", created.password()).dek();
        fx.accounts.changePassword("a@example.org", recovery.toUpperCase(), "brand new password");
        assertThat(fx.accounts.login("a@example.org", "brand new password").dek()).isEqualTo(dek);
        // The recovery key keeps working after a change, because it wraps the same DEK.
        fx.accounts.changePassword("a@example.org", recovery, "another new password");
        assertThat(fx.accounts.login("a@example.org", "another new password").dek()).isEqualTo(dek);
    }

    @Test
    void loginCacheSkipsArgonButNeverAcceptsAWrongPassword() {
        try (var cached = new StoreFixture(dir.resolve("c"), Duration.ofMinutes(1))) {
            cached.control.addDomain("example.org");
            cached.accounts.createAlias("a@example.org", Optional.of("cached password 1"), false);
            SecretKey32 first = cached.accounts.login("a@example.org", "cached password 1").dek();
            assertThat(cached.accounts.login("a@example.org", "cached password 1").dek()).isEqualTo(first);
            assertThatThrownBy(() -> cached.accounts.login("a@example.org", "cached password 2")).isInstanceOf(StoreException.class);
            cached.accounts.changePassword("a@example.org", "cached password 1", "cached password 3");
            assertThatThrownBy(() -> cached.accounts.login("a@example.org", "cached password 1")).as("stale cache entry")
                    .isInstanceOf(StoreException.class);
        }
    }

    @Test
    void aliasNeedsAKnownDomainAndAStrongEnoughPassword() {
        assertThatThrownBy(() -> fx.accounts.createAlias("x@other.example", Optional.empty(), false))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> fx.accounts.createAlias("x@example.org", Optional.of("short"), false))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
        fx.accounts.createAlias("x@example.org", Optional.empty(), false);
        assertThatThrownBy(() -> fx.accounts.createAlias("X@example.org", Optional.empty(), false))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.ALREADY_EXISTS));
    }

    @Test
    void aMailboxFileItsWrappedDekAndThePasswordAloneOpenIt(@TempDir Path elsewhere) throws Exception {
        var created = fx.accounts.createAlias("a@example.org", Optional.of("portable password"), false);
        Unlocked u = fx.accounts.login("a@example.org", "portable password");
        try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
            m.append("INBOX", dev.postvault.store.TestMessages.simple("portable", "x"), dev.postvault.store.mailbox.MessageFlags.NONE,
                    java.time.Instant.now());
        }
        fx.close(); // checkpoint: the file alone holds everything
        var creds = created.alias().credentials();
        Path copy = elsewhere.resolve("copy.sqlite");
        Files.copy(fx.mailboxes.file(created.alias().id()), copy);
        // No control plane, no server key: only the copied file, the stored wrap material and the password.
        var kek = dev.postvault.crypto.PasswordKdf.derive("portable password", creds.salt(), creds.argon2()).kek();
        SecretKey32 dek = dev.postvault.crypto.KeyWrap.unwrap(kek, creds.wrappedDek(), created.alias().id());
        try (var c = dev.postvault.store.Sqlite.open(copy, dek); var rs = c.createStatement().executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        fx = new StoreFixture(dir, Duration.ZERO);
    }

    @Test
    void orphanedFilesOlderThanTheGraceAreSweptAndLiveOnesKept() throws Exception {
        var kept = fx.accounts.createAlias("kept@example.org", Optional.empty(), false);
        String orphan = "00000000000000000000000000000001";
        fx.mailboxes.create(orphan, SecretKey32.random(), dev.postvault.crypto.HybridKem.generate());
        assertThat(fx.accounts.sweepOrphans(Duration.ofHours(1))).isZero(); // too young: may be mid-creation
        Files.setLastModifiedTime(fx.mailboxes.file(orphan), java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofDays(1))));
        Files.setLastModifiedTime(fx.mailboxes.file(kept.alias().id()), java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofDays(1))));
        assertThat(fx.accounts.sweepOrphans(Duration.ofHours(1))).isEqualTo(1);
        assertThat(fx.mailboxes.exists(orphan)).isFalse();
        assertThat(fx.mailboxes.exists(kept.alias().id())).isTrue();
    }

    @Test
    void removedAliasLeavesNoFiles() {
        var created = fx.accounts.createAlias("gone@example.org", Optional.empty(), false);
        fx.accounts.removeAlias("gone@example.org");
        assertThat(fx.control.alias("gone@example.org")).isEmpty();
        assertThat(fx.mailboxes.exists(created.alias().id())).isFalse();
    }
}
