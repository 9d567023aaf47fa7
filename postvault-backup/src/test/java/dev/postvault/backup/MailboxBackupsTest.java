package dev.postvault.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestClock;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Backups of real encrypted mailboxes into a real directory and a real S3 server. */
class MailboxBackupsTest {
    static final String PASSWORD = "correct horse battery staple";

    @TempDir static Path serverDir;
    static S3TestServer s3;
    static int buckets;

    @TempDir Path dir;
    StoreFixture fx;
    AliasRecord alias;
    Unlocked user;
    final TestClock clock = new TestClock(Instant.parse("2026-11-02T03:00:00Z"));
    BackupTarget target;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3TestServer(serverDir.resolve("s3"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    static Stream<Arguments> targets() {
        return Stream.of(Arguments.of("directory"), Arguments.of("s3"));
    }

    MailboxBackups setUp(String kind, Retention retention) throws Exception {
        fx = new StoreFixture(dir.resolve("data"));
        fx.control.addDomain("example.org");
        fx.accounts.createAlias("hello@example.org", Optional.of(PASSWORD), false);
        user = fx.accounts.login("hello@example.org", PASSWORD);
        alias = user.alias();
        target = kind.equals("s3") ? new S3Target(s3.bucket("backups-" + (++buckets), "")) : new DirectoryTarget(dir.resolve("backups"));
        return new MailboxBackups(fx.mailboxes, fx.spool, target, dir.resolve("data/backup-work"), retention, clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (target instanceof S3Target t) t.close();
        if (fx != null) fx.close();
    }

    private Mailbox open() {
        return fx.mailboxes.open(alias.id(), user.dek());
    }

    /** Appends and waits for the background full-text indexing, so the file is still afterwards. */
    private void append(String subject) throws InterruptedException {
        try (Mailbox m = open()) {
            m.append("INBOX", TestMessages.simple(subject, "body of " + subject), MessageFlags.NONE, Instant.now());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (m.unindexedCount() > 0) {
                if (System.nanoTime() > deadline) throw new AssertionError("background indexing did not finish");
                Thread.sleep(5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aSnapshotVersionOpensWithThePasswordAloneAndHoldsNoCleartext(String kind) throws Exception {
        MailboxBackups b = setUp(kind, Retention.DEFAULT);
        append("very secret subject");
        MailboxBackups.Outcome o;
        try (Mailbox m = open()) {
            o = b.backup(alias, Optional.of(m));
        }
        assertThat(o).isInstanceOf(MailboxBackups.Outcome.Stored.class);
        Manifest m = ((MailboxBackups.Outcome.Stored) o).manifest();
        assertThat(m.kind()).isEqualTo(Manifest.Kind.SNAPSHOT);
        assertThat(m.schema()).isPresent();
        assertThat(b.versions(alias.id())).extracting(Manifest::version).containsExactly(m.version());
        String manifestText = new String(m.encode(), StandardCharsets.UTF_8);
        assertThat(manifestText).doesNotContain("hello@example.org").doesNotContain("example.org").doesNotContain(PASSWORD);

        Path copy = dir.resolve("fetched.sqlite");
        Manifest fetched = b.fetch(alias.id(), m.version(), copy);
        assertThat(fetched.sha256Hex()).isEqualTo(m.sha256Hex());
        assertThat(new String(Files.readAllBytes(copy), StandardCharsets.ISO_8859_1)).doesNotContain("very secret subject");
        // The version plus the password, and nothing from the server: unwrap the DEK from the manifest.
        SecretKey32 dek = Accounts.unwrap(alias.id(), fetched.credentials(), PASSWORD);
        assertThat(fx.mailboxes.verifyCopy(copy, dek)).isEqualTo(m.schema().get());
        assertThatThrownBy(() -> Accounts.unwrap(alias.id(), fetched.credentials(), "wrong password"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void anUnchangedMailboxStoresNothingAndAChangedOneANewVersion(String kind) throws Exception {
        MailboxBackups b = setUp(kind, Retention.DEFAULT);
        append("one");
        try (Mailbox m = open()) {
            assertThat(b.backup(alias, Optional.of(m))).isInstanceOf(MailboxBackups.Outcome.Stored.class);
            clock.advance(Duration.ofMinutes(1));
            assertThat(b.backup(alias, Optional.of(m))).isInstanceOf(MailboxBackups.Outcome.Unchanged.class);
        }
        // Closing may compact the file (free pages returned), so the first dormant copy may differ;
        // after that, an untouched dormant file stores nothing.
        b.backup(alias, Optional.empty());
        clock.advance(Duration.ofMinutes(1));
        assertThat(b.backup(alias, Optional.empty())).isInstanceOf(MailboxBackups.Outcome.Unchanged.class);
        int before = b.versions(alias.id()).size();
        append("two");
        clock.advance(Duration.ofMinutes(1));
        var o = b.backup(alias, Optional.empty());
        assertThat(o).isInstanceOf(MailboxBackups.Outcome.Stored.class);
        assertThat(((MailboxBackups.Outcome.Stored) o).manifest().kind()).isEqualTo(Manifest.Kind.CIPHERTEXT);
        // Daily retention keeps the newest version of each day: today's earlier ones are gone.
        assertThat(before).isEqualTo(1);
        assertThat(b.versions(alias.id())).extracting(Manifest::version)
                .containsExactly(((MailboxBackups.Outcome.Stored) o).manifest().version());
        assertThat(target.list("mailboxes/" + alias.id() + "/")).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aDormantCopyIsTheFileItselfAndAnOpenMailboxIsNotCopiedWithoutItsKey(String kind) throws Exception {
        MailboxBackups b = setUp(kind, Retention.DEFAULT);
        append("dormant");
        try (Mailbox m = open()) {
            assertThat(b.backup(alias, Optional.empty())).isInstanceOf(MailboxBackups.Outcome.Skipped.class);
        }
        var o = (MailboxBackups.Outcome.Stored) b.backup(alias, Optional.empty());
        Path copy = dir.resolve("dormant.sqlite");
        b.fetch(alias.id(), o.manifest().version(), copy);
        assertThat(copy).hasSameBinaryContentAs(fx.mailboxes.file(alias.id()));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aDamagedObjectIsRefusedAndAHalfWrittenVersionNeverListed(String kind) throws Exception {
        MailboxBackups b = setUp(kind, Retention.DEFAULT);
        append("x");
        var stored = (MailboxBackups.Outcome.Stored) b.backup(alias, Optional.empty());
        String v = stored.manifest().version();
        Path tampered = Files.write(dir.resolve("tampered"), new byte[] {1, 2, 3});
        target.put(MailboxBackups.dataKey(alias.id(), v), tampered);
        assertThatThrownBy(() -> b.fetch(alias.id(), v, dir.resolve("out")))
                .isInstanceOfSatisfying(BackupException.class, e -> assertThat(e.kind()).isEqualTo(BackupException.Kind.CORRUPT));
        assertThat(dir.resolve("out")).doesNotExist();

        // A crash between the data object and its manifest: the data is not a version, and is swept later.
        String orphan = "20261102T030100000Z-dead";
        target.put(MailboxBackups.dataKey(alias.id(), orphan), tampered);
        assertThat(b.versions(alias.id())).extracting(Manifest::version).containsExactly(v);
        assertThatThrownBy(() -> b.fetch(alias.id(), orphan, dir.resolve("out")))
                .isInstanceOfSatisfying(BackupException.class, e -> assertThat(e.kind()).isEqualTo(BackupException.Kind.NOT_FOUND));
        clock.advance(Duration.ofHours(2));
        append("y");
        b.backup(alias, Optional.empty());
        assertThat(target.list("mailboxes/" + alias.id() + "/")).noneMatch(k -> k.contains(orphan));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void retentionKeepsDailyAndWeeklyVersions(String kind) throws Exception {
        MailboxBackups b = setUp(kind, new Retention(3, 2));
        for (int day = 0; day < 12; day++) {
            append("day " + day);
            b.backup(alias, Optional.empty());
            clock.advance(Duration.ofDays(1));
        }
        // 12 daily versions from Mon 2 Nov to Fri 13 Nov: the last 3 days, plus the newest of the previous ISO week.
        assertThat(b.versions(alias.id())).extracting(m -> m.created().atOffset(ZoneOffset.UTC).toLocalDate().toString())
                .containsExactly("2026-11-13", "2026-11-12", "2026-11-11", "2026-11-08");
        assertThat(target.list("mailboxes/" + alias.id() + "/")).hasSize(8);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void theSpoolIsMirroredSealed(String kind) throws Exception {
        MailboxBackups b = setUp(kind, Retention.DEFAULT);
        fx.spool.enqueue(alias, new ByteArrayInputStream(TestMessages.simple("spooled secret", "x")), Instant.now());
        b.backup(alias, Optional.empty());
        List<String> keys = target.list("spool/");
        assertThat(keys).singleElement().asString().matches("spool/" + alias.id() + "/[0-9a-f]{45}\\.[0-9]+\\.seg");
        String key = keys.getFirst();
        assertThat(new String(target.getBytes(key).orElseThrow(), StandardCharsets.ISO_8859_1)).doesNotContain("spooled secret");
        // Mail that arrives later goes to a new segment, mirrored beside the first.
        fx.spool.enqueue(alias, new ByteArrayInputStream(TestMessages.simple("second", "y")), Instant.now());
        b.backup(alias, Optional.empty());
        assertThat(target.list("spool/")).hasSize(2).contains(key);
        try (Mailbox m = open()) {
            fx.spool.drain(m);
        }
        clock.advance(Duration.ofMinutes(1));
        b.backup(alias, Optional.empty());
        assertThat(target.list("spool/")).isEmpty();
    }
}
