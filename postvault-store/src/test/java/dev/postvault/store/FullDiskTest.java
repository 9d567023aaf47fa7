package dev.postvault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A really full disk: a small tmpfs mounted for the test (root only; skipped where mounting is not
 * allowed). Writes fail with a clear DISK_FULL "disk full", nothing stored before is lost, partial
 * files are removed, and the store works again once there is room.
 */
class FullDiskTest {
    @TempDir Path dir;
    Path mount;
    SmallDisk disk;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = SmallDisk.mount(dir.resolve("small"), "6m").orElse(null);
        assumeTrue(disk != null, "cannot mount a tmpfs here (needs root)");
        mount = disk.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) disk.close();
    }

    private static Path fill(Path where) throws IOException {
        Path filler = where.resolve("filler");
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // ENOSPC: the disk is full now
        }
        return filler;
    }

    @Test
    void aFullDiskRefusesNewMailAndKeepsTheOld() throws Exception {
        // No reserve: the writes themselves meet ENOSPC (the reserve below keeps the server from that).
        try (var fx = new StoreFixture(mount.resolve("data"), java.time.Duration.ofMinutes(5), 0)) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                m.append("INBOX", TestMessages.simple("before", "stored before the disk filled"), MessageFlags.NONE, Instant.now());
                Path filler = fill(mount);
                byte[] big = TestMessages.withAttachment("too much", "x", TestMessages.randomBytes(512 * 1024, 3));
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 20; i++) m.append("INBOX", big, MessageFlags.NONE, Instant.now());
                }).isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.DISK_FULL);
                    assertThat(e.getMessage()).as(String.valueOf(e.getCause())).isEqualTo("disk full");
                });
                // The MX path: sealing into the spool fails too, and leaves no partial file behind.
                assertThatThrownBy(() -> fx.spool.enqueue(u.alias(), new ByteArrayInputStream(big), Instant.now()))
                        .isInstanceOf(RuntimeException.class);
                assertThat(fx.spool.pending(u.alias().id())).isEmpty();
                // A message too large to seal in memory streams into a segment of its own: its temporary file goes too.
                byte[] huge = TestMessages.withAttachment("much too much", "x", TestMessages.randomBytes(2 * 1024 * 1024, 4));
                assertThatThrownBy(() -> fx.spool.enqueue(u.alias(), new ByteArrayInputStream(huge), Instant.now()))
                        .isInstanceOf(RuntimeException.class);
                Path spoolDir = mount.resolve("data").resolve("spool").resolve(u.alias().id());
                try (var left = Files.exists(spoolDir) ? Files.list(spoolDir) : java.util.stream.Stream.<Path>empty()) {
                    assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
                }
                List<String> subjects = m.messages(m.folder(Folder.INBOX).id()).stream()
                        .map(meta -> new String(m.raw(meta.contentId()))).filter(s -> s.contains("Subject: before")).toList();
                assertThat(subjects).hasSize(1);
                Files.delete(filler);
                m.append("INBOX", TestMessages.simple("after", "room again"), MessageFlags.NONE, Instant.now());
                // The segment whose append failed was cut back to its last whole record and takes mail again.
                fx.spool.enqueue(u.alias(), new ByteArrayInputStream(TestMessages.simple("spooled after", "room again")), Instant.now());
                assertThat(fx.spool.drain(m)).isEqualTo(1);
            }
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                assertThat(m.messages(m.folder(Folder.INBOX).id()).stream().map(meta -> new String(m.raw(meta.contentId()))))
                        .anyMatch(s -> s.contains("Subject: before")).anyMatch(s -> s.contains("Subject: after"));
            }
        }
    }

    @Test
    void newMailLeavesTheReserveFreeForEverythingElse() throws Exception {
        try (var fx = new StoreFixture(mount.resolve("data"), java.time.Duration.ofMinutes(5), 2L * 1024 * 1024)) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            int stored = 0;
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                var first = m.append("INBOX", TestMessages.simple("before", "stored before the disk filled"), MessageFlags.NONE, Instant.now());
                byte[] big = TestMessages.withAttachment("big", "x", TestMessages.randomBytes(300 * 1024, 5));
                try {
                    for (; stored < 100; stored++) m.append("INBOX", big, MessageFlags.NONE, Instant.now());
                } catch (StoreException e) {
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.DISK_FULL);
                    assertThat(e.getMessage()).as(String.valueOf(e.getCause())).isEqualTo("disk full");
                    assertThat(e.getCause()).as("refused by the reserve, before SQLite met a full disk").isNull();
                }
                assertThat(stored).isBetween(1, 99);
                // The MX seals a message about its size once (a mailbox writes it twice): it fills on to the reserve.
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) fx.spool.enqueue(u.alias(), new ByteArrayInputStream(big), Instant.now());
                }).isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("disk full");
                    assertThat(e.getCause()).isNull();
                });
                assertThat(fx.mailboxes.disk().usableBytes()).isGreaterThan(1024 * 1024);
                // What is not new mail still works on the reserve: flags, a new reader, another open.
                m.addFlags(m.folder(Folder.INBOX).id(), List.of(first.uid()), java.util.Set.of(dev.postvault.store.mailbox.SystemFlag.SEEN));
                assertThat(m.status("INBOX").messages()).isEqualTo(stored + 1);
            }
            try (Mailbox again = fx.mailboxes.open(u.alias().id(), u.dek())) {
                assertThat(again.status("INBOX").unseen()).isEqualTo(stored);
            }
        }
    }

    @Test
    void aBackupSnapshotOnAFullDiskSaysSoAndLeavesTheMailboxIntact() throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"))) {
            Unlocked u = fx.loggedIn("hello@example.org", "correct horse battery staple");
            try (Mailbox m = fx.mailboxes.open(u.alias().id(), u.dek())) {
                for (int i = 0; i < 12; i++) {
                    m.append("INBOX", TestMessages.withAttachment("m" + i, "x", TestMessages.randomBytes(600 * 1024, i)), MessageFlags.NONE, Instant.now());
                }
                Path copy = mount.resolve("copy.sqlite");
                assertThatThrownBy(() -> m.snapshot(copy, Optional.empty()))
                        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.getMessage()).isEqualTo("disk full"));
                assertThat(copy).doesNotExist();
                assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(12);
                m.append("INBOX", TestMessages.simple("still writable", "yes"), MessageFlags.NONE, Instant.now());
            }
        }
    }
}
