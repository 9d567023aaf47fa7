package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup copies of real encrypted mailbox files: consistent, still encrypted, skipped when unchanged. */
class SnapshotsTest {
    @TempDir Path dir;
    StoreFixture fx;
    Unlocked user;

    @BeforeEach
    void setUp() {
        fx = new StoreFixture(dir.resolve("data"));
        user = fx.loggedIn("hello@example.org", "correct horse battery staple");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Mailbox open() {
        return fx.mailboxes.open(user.alias().id(), user.dek());
    }

    /** Appends and waits for background indexing, which would otherwise change the file under the test. */
    private static void append(Mailbox m, String subject, String body) throws InterruptedException {
        m.append("INBOX", TestMessages.simple(subject, body), MessageFlags.NONE, Instant.now());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (m.unindexedCount() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("background indexing did not finish");
            Thread.sleep(5);
        }
    }

    @Test
    void aSnapshotIsEncryptedVerifiableAndHoldsEverything() throws Exception {
        Path copy = dir.resolve("copy.sqlite");
        try (Mailbox m = open()) {
            append(m, "secret subject", "secret body text");
            var r = m.snapshot(copy, Optional.empty());
            assertThat(r).isInstanceOf(Snapshots.Result.Written.class);
            assertThat(((Snapshots.Result.Written) r).sourceSha256()).isPresent();
        }
        String bytes = new String(Files.readAllBytes(copy), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("secret subject").doesNotContain("secret body").doesNotContain("SQLite format 3");
        assertThat(fx.mailboxes.verifyCopy(copy, user.dek())).isEqualTo(Schema.VERSION);
        // The copy opens as a mailbox with the same DEK and has the message.
        try (var c = Sqlite.open(copy, user.dek()); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        assertThatThrownBy(() -> fx.mailboxes.verifyCopy(copy, SecretKey32.random()))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
    }

    @Test
    void anUnchangedMailboxWritesNothingAndAChangeIsSeen() throws Exception {
        try (Mailbox m = open()) {
            append(m, "one", "one");
            var first = (Snapshots.Result.Written) m.snapshot(dir.resolve("a.sqlite"), Optional.empty());
            Path b = dir.resolve("b.sqlite");
            assertThat(m.snapshot(b, first.sourceSha256())).isInstanceOf(Snapshots.Result.Unchanged.class);
            assertThat(b).doesNotExist();
            append(m, "two", "two");
            assertThat(m.snapshot(b, first.sourceSha256())).isInstanceOf(Snapshots.Result.Written.class);
            assertThat(b).exists();
        }
    }

    @Test
    void aDormantMailboxIsCopiedWithoutItsKeyButNotWhileOpen() throws Exception {
        try (Mailbox m = open()) {
            m.append("INBOX", TestMessages.simple("dormant", "dormant"), MessageFlags.NONE, Instant.now());
            assertThatThrownBy(() -> fx.mailboxes.copyDormant(user.alias().id(), dir.resolve("x.sqlite"), Optional.empty()))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IN_USE));
        }
        Path copy = dir.resolve("dormant.sqlite");
        var r = (Snapshots.Result.Written) fx.mailboxes.copyDormant(user.alias().id(), copy, Optional.empty());
        assertThat(copy).hasSameBinaryContentAs(fx.mailboxes.file(user.alias().id()));
        assertThat(fx.mailboxes.verifyCopy(copy, user.dek())).isEqualTo(Schema.VERSION);
        assertThat(fx.mailboxes.copyDormant(user.alias().id(), dir.resolve("y.sqlite"), r.sourceSha256()))
                .isInstanceOf(Snapshots.Result.Unchanged.class);
    }

    @Test
    void aFailedSnapshotLeavesNoPartialCopyAndTheMailboxIntact() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        try (Mailbox m = open()) {
            m.append("INBOX", TestMessages.simple("keep", "keep"), MessageFlags.NONE, Instant.now());
            assertThatThrownBy(() -> m.snapshot(notADir.resolve("copy.sqlite"), Optional.empty())).isInstanceOf(StoreException.class);
            assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(1);
            m.append("INBOX", TestMessages.simple("after", "after"), MessageFlags.NONE, Instant.now());
        }
    }
}
