package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.Node;
import dev.postvault.server.cli.Main;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'postvault export' and 'postvault import' killed with SIGKILL at random moments: the mailbox is
 * never damaged, an export file is either absent or whole, an import never stores a message twice,
 * and running the command again finishes the job.
 */
class TransferCrashTest {
    private static final String ADDRESS = "transfer@example.org";
    private static final String PASSWORD = "transfer test password";
    private static final int ROUNDS = 5;
    private static final int MESSAGES = 600;

    @TempDir Path tmp;

    private static int cli(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            var w = new PrintWriter(new StringWriter());
            return Main.run(args, w, w, Map.of());
        } finally {
            System.setIn(saved);
        }
    }

    private static List<String> inbox(Node node) {
        Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
        try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
            return mb.messages(mb.folder(Folder.INBOX).id()).stream().map(m -> new String(mb.raw(m.contentId()), StandardCharsets.UTF_8)).toList();
        }
    }

    private Path init() {
        Path data = tmp.resolve("data");
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain("example.org");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
        }
        return data;
    }

    @Test
    @Timeout(180)
    void anExportKilledAnywhereLeavesNoHalfFileAndTheMailboxIntact() throws Exception {
        Path data = init();
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                for (int i = 0; i < 300; i++) {
                    mb.append("INBOX", ("Subject: export " + i + "\r\n\r\n" + "line of text\r\n".repeat(200)).getBytes(StandardCharsets.US_ASCII),
                            MessageFlags.NONE, Instant.now());
                }
            }
        }
        Path out = tmp.resolve("export.mbox");
        Random rnd = new Random(0xe4b0L);
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp, "export", data.toString(), ADDRESS, PASSWORD, out.toString())) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                ChildJvm.pause(rnd.nextInt(1500));
                assertThat(child.kill()).isEqualTo(137);
                assertThat(child.lines()).noneMatch(l -> l.startsWith("failed"));
            }
            if (Files.exists(out)) {
                String text = Files.readString(out);
                assertThat(text.split("\nFrom MAILER-DAEMON ", -1)).as("round %d: a present export is whole", round).hasSize(300);
                assertThat(text).endsWith("line of text\n\n");
            }
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                assertThat(inbox(node)).hasSize(300);
            }
        }
        assertThat(cli(PASSWORD + "\n", "export", ADDRESS, "--format", "mbox", "--output", out.toString(), "--password-stdin",
                "--data-dir", data.toString())).isZero();
        assertThat(out.resolveSibling("export.mbox.partial")).doesNotExist();
    }

    @Test
    @Timeout(180)
    void anImportKilledAnywhereStoresEachMessageOnceAndARerunFinishes() throws Exception {
        Path data = init();
        var mbox = new StringBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            mbox.append("From sender@example.net Mon Mar  2 10:11:12 2026\nFrom: sender@example.net\nSubject: imported ").append(i)
                    .append("\n\n").append("body line\n".repeat(100)).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("big.mbox"), mbox);
        Random rnd = new Random(0x1a9aL);
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp, "import", data.toString(), ADDRESS, PASSWORD, file.toString())) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                ChildJvm.pause(rnd.nextInt(2000));
                assertThat(child.kill()).isEqualTo(137);
                assertThat(child.lines()).noneMatch(l -> l.startsWith("failed"));
            }
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                List<String> in = inbox(node);
                Set<String> distinct = new HashSet<>(in);
                assertThat(distinct).as("round %d: nothing stored twice", round).hasSameSizeAs(in);
                assertThat(in.size()).isLessThanOrEqualTo(MESSAGES);
            }
        }
        assertThat(cli(PASSWORD + "\n", "import", ADDRESS, file.toString(), "--from", "mbox", "--password-stdin", "--data-dir", data.toString())).isZero();
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            List<String> in = inbox(node);
            assertThat(in).hasSize(MESSAGES);
            assertThat(new HashSet<>(in)).hasSize(MESSAGES);
        }
    }
}
