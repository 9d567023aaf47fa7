package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.backup.DirectoryTarget;
import dev.postvault.backup.MailboxBackups;
import dev.postvault.backup.Manifest;
import dev.postvault.backup.Retention;
import dev.postvault.server.Node;
import dev.postvault.server.cli.Main;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs run 'postvault restore' and 'postvault backup run' over and over and are killed with
 * SIGKILL at random moments. After every kill the mailbox opens with one version's exact content (no
 * damage), every listed backup version is whole and opens, and running the command again finishes
 * the job.
 */
class BackupRestoreCrashTest {
    private static final String ADDRESS = "crash@example.org";
    private static final String PASSWORD = "crash test password, long";
    private static final int ROUNDS = 6;

    @TempDir Path tmp;

    private static byte[] message(String subject) {
        return ("From: a@remote.example\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<byte[]> inbox(Node node) {
        Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
        try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
            List<byte[]> out = new ArrayList<>();
            for (var m : mb.messages(mb.folder(Folder.INBOX).id())) out.add(mb.raw(m.contentId()));
            return out;
        }
    }

    private static int cli(String... args) {
        var w = new PrintWriter(new StringWriter());
        return Main.run(args, w, w, Map.of());
    }

    @Test
    @Timeout(180)
    void aRestoreKilledAtAnyMomentLeavesOneWholeVersionAndARerunFinishes() {
        Path data = tmp.resolve("data");
        String v1;
        String v2;
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain("example.org");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            var target = new DirectoryTarget(data.resolve("backups"));
            var day1 = new MailboxBackups(node.mailboxes(), node.spool(), target, data.resolve("tmp"), Retention.DEFAULT,
                    Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC));
            var day2 = new MailboxBackups(node.mailboxes(), node.spool(), target, data.resolve("tmp"), Retention.DEFAULT,
                    Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC));
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                mb.append("INBOX", message("one"), MessageFlags.NONE, Instant.now());
                v1 = ((MailboxBackups.Outcome.Stored) day1.backup(u.alias(), Optional.of(mb))).manifest().version();
                mb.append("INBOX", message("two"), MessageFlags.NONE, Instant.now());
                v2 = ((MailboxBackups.Outcome.Stored) day2.backup(u.alias(), Optional.of(mb))).manifest().version();
            }
        }
        Random rnd = new Random(0x5e570aL);
        int restores = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp, "restore", data.toString(), ADDRESS, v1, v2)) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                if (round % 2 == 1) child.awaitLine("restored " + v1, Duration.ofSeconds(60));
                ChildJvm.pause(rnd.nextInt(800));
                assertThat(child.kill()).as(child.toString()).isEqualTo(137);
                assertThat(child.lines()).noneMatch(l -> l.startsWith("failed"));
                restores += (int) child.lines().stream().filter(l -> l.startsWith("restored")).count();
            }
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                node.mailboxes().recoverReplacements(); // what a server start does
                List<byte[]> in = inbox(node);
                assertThat(in.size()).as("round %d: one version or the other, whole", round).isBetween(1, 2);
                assertThat(in.getFirst()).isEqualTo(message("one"));
                if (in.size() == 2) assertThat(in.get(1)).isEqualTo(message("two"));
            }
            assertThat(cli("restore", ADDRESS, "--version", v2, "--data-dir", data.toString())).as("a re-run finishes").isZero();
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                assertThat(inbox(node)).hasSize(2);
            }
        }
        System.out.println("[BackupRestoreCrashTest] " + restores + " restores completed between kills");
        assertThat(restores).isGreaterThanOrEqualTo(ROUNDS / 2);
    }

    @Test
    @Timeout(180)
    void aBackupKilledAtAnyMomentListsOnlyWholeVersionsAndARerunFinishes() {
        Path data = tmp.resolve("data");
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain("example.org");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
        }
        Random rnd = new Random(0xbac0fL);
        int backups = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp, "backup", data.toString(), ADDRESS, PASSWORD)) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                if (round % 2 == 1) child.awaitLine("backed up 0", Duration.ofSeconds(60));
                ChildJvm.pause(rnd.nextInt(800));
                assertThat(child.kill()).as(child.toString()).isEqualTo(137);
                assertThat(child.lines()).noneMatch(l -> l.startsWith("failed"));
                backups += (int) child.lines().stream().filter(l -> l.startsWith("backed up")).count();
            }
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
                var service = new MailboxBackups(node.mailboxes(), node.spool(), new DirectoryTarget(data.resolve("backups")),
                        data.resolve("tmp"), Retention.DEFAULT, Clock.systemUTC());
                for (Manifest m : service.versions(u.alias().id())) {
                    Path copy = tmp.resolve("check-" + m.version() + ".sqlite");
                    service.fetch(u.alias().id(), m.version(), copy); // checksum
                    assertThat(node.mailboxes().verifyCopy(copy, u.dek())).isPositive(); // opens and passes integrity_check
                }
                inbox(node); // the mailbox itself is fine
            }
            assertThat(cli("backup", "run", ADDRESS, "--data-dir", data.toString())).as("a re-run finishes").isZero();
        }
        System.out.println("[BackupRestoreCrashTest] " + backups + " backups completed between kills");
        assertThat(backups).isGreaterThanOrEqualTo(ROUNDS / 2);
    }
}
