package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.events.ChangeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping a mailbox file for a restore: atomic, recoverable after a crash, and new UIDVALIDITYs after. */
class ReplaceTest {
    @TempDir Path dir;
    StoreFixture fx;
    Unlocked user;
    String id;
    Path file;

    @BeforeEach
    void setUp() {
        // The crash cases move files as a dead process left them: no mailbox may linger open here.
        fx = new StoreFixture(dir.resolve("data"), MailboxLimits.DEFAULT.withLinger(java.time.Duration.ZERO, 0));
        user = fx.loggedIn("hello@example.org", "correct horse battery staple");
        id = user.alias().id();
        file = fx.mailboxes.file(id);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Mailbox open() {
        return fx.mailboxes.open(id, user.dek());
    }

    private int count() {
        try (Mailbox m = open()) {
            return m.messages(m.folder(Folder.INBOX).id()).size();
        }
    }

    /** A copy of the mailbox holding one message, as a restore would download it. */
    private Path versionWithOneMessage() {
        Path copy = dir.resolve("version.sqlite");
        try (Mailbox m = open()) {
            m.append("INBOX", TestMessages.simple("one", "one"), MessageFlags.NONE, Instant.now());
            m.snapshot(copy, Optional.empty());
            m.append("INBOX", TestMessages.simple("two", "two"), MessageFlags.NONE, Instant.now());
        }
        Path incoming = file.resolveSibling(file.getFileName() + ".restoring");
        try {
            Files.move(copy, incoming);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return incoming;
    }

    @Test
    void aReplacedMailboxHasTheVersionsContentAndNewUidValidities() {
        Path incoming = versionWithOneMessage();
        long before;
        try (Mailbox m = open()) {
            before = m.folder(Folder.INBOX).uidValidity();
            assertThatThrownBy(() -> fx.mailboxes.replace(id, incoming))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IN_USE));
        }
        fx.mailboxes.replace(id, incoming);
        assertThat(incoming).doesNotExist();
        try (Mailbox m = open()) {
            assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(1);
            assertThat(m.folder(Folder.INBOX).uidValidity()).isNotEqualTo(before);
            long renumbered = m.folder(Folder.INBOX).uidValidity();
            m.close();
            try (Mailbox again = open()) {
                assertThat(again.folder(Folder.INBOX).uidValidity()).as("renumbered once, not at every open").isEqualTo(renumbered);
            }
        }
        assertThat(dir.resolve("data/mailboxes").toFile().list()).allMatch(n -> n.matches("[0-9a-f]{32}\\.sqlite(-wal|-shm)?"));
    }

    @Test
    void aCrashBeforeTheNewFileArrivedBringsTheOldOneBack() throws Exception {
        versionWithOneMessage();
        // As replace() leaves things if killed right after moving the current file aside.
        Files.writeString(file.resolveSibling(file.getFileName() + ".restored"), "");
        Files.move(file, file.resolveSibling(file.getFileName() + ".replaced"));
        assertThat(fx.mailboxes.recoverReplacements()).isEqualTo(1);
        assertThat(count()).isEqualTo(2);
        assertThat(file.resolveSibling(file.getFileName() + ".restored")).doesNotExist();
    }

    @Test
    void aCrashAfterTheNewFileArrivedKeepsIt() throws Exception {
        Path incoming = versionWithOneMessage();
        Files.writeString(file.resolveSibling(file.getFileName() + ".restored"), "");
        Files.move(file, file.resolveSibling(file.getFileName() + ".replaced"));
        Files.move(incoming, file);
        assertThat(fx.mailboxes.recoverReplacements()).isEqualTo(1);
        assertThat(file.resolveSibling(file.getFileName() + ".replaced")).doesNotExist();
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aWithdrawnMailboxEndsItsSessionsAndCannotBeOpenedUntilGivenBack() {
        List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        fx.bus.subscribe(id, events::add);
        Mailbox session = open();
        fx.mailboxes.withdraw(id);
        assertThat(events).contains(new ChangeEvent.MailboxWithdrawn(id));
        assertThatThrownBy(this::open).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TEMPORARY));
        assertThatThrownBy(() -> session.messages(1)).isInstanceOf(StoreException.class);
        session.close();
        fx.mailboxes.giveBack(id);
        assertThat(count()).isZero();
    }
}
