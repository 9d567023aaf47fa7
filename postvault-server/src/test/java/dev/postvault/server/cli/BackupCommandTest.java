package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.backup.S3TestServer;
import dev.postvault.server.Node;
import dev.postvault.server.ServerFixture;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postvault backup run|list} and {@code restore} against real encrypted mailboxes, a directory and a real S3 server. */
class BackupCommandTest {
    private static final String ADDRESS = "hello@example.org";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir Path tmp;
    private Path data;
    private final Map<String, String> env = new HashMap<>();

    private Cli.Result cli(String stdin, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = data.toString();
        return Cli.runWithStdin(env, stdin, all);
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private void createAlias(Path dataDir) {
        data = dataDir;
        ok(cli("", "domain", "add", "example.org"));
        ok(cli(PASSWORD + "\n", "alias", "add", ADDRESS, "--password-stdin"));
    }

    private List<String> subjects() {
        try (Node node = Node.open(data, Node.Settings.DEFAULT); Mailbox m = open(node)) {
            List<String> out = new ArrayList<>();
            for (var meta : m.messages(m.folder(Folder.INBOX).id())) {
                String raw = new String(m.raw(meta.contentId()), StandardCharsets.UTF_8);
                out.add(raw.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow().substring(9));
            }
            return out;
        }
    }

    private static Mailbox open(Node node) {
        var u = node.accounts().login(ADDRESS, PASSWORD);
        return node.mailboxes().open(u.alias().id(), u.dek());
    }

    private void append(String subject) {
        try (Node node = Node.open(data, Node.Settings.DEFAULT); Mailbox m = open(node)) {
            m.append("INBOX", ("From: a@sender.example\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8),
                    MessageFlags.NONE, Instant.now());
        }
    }

    private long inboxUidValidity() {
        try (Node node = Node.open(data, Node.Settings.DEFAULT); Mailbox m = open(node)) {
            return m.folder(Folder.INBOX).uidValidity();
        }
    }

    private String newestVersion() {
        String first = ok(cli("", "backup", "list", ADDRESS)).outLines().getFirst();
        assertThat(first).matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}  \\S+  (snapshot|ciphertext)  \\d+");
        return first.split(" ")[0];
    }

    @Test
    void backupListAndRestoreIntoADirectoryWithoutAServer() throws Exception {
        createAlias(tmp.resolve("data"));
        append("kept secret subject");
        var run = ok(cli("", "backup", "run", "--all"));
        assertThat(run.out()).contains(ADDRESS + ": stored version ").contains("ciphertext");
        assertThat(run.err()).contains("backup [").contains("1/1");
        String v = newestVersion();
        assertThat(ok(cli("", "backup", "run", ADDRESS)).out()).contains("unchanged since version " + v);
        assertThat(Cli.filesContaining(data.resolve("backups"), "kept secret subject")).isEmpty();
        assertThat(Cli.filesContaining(data.resolve("backups"), ADDRESS)).isEmpty();
        assertThat(Cli.allFiles(data.resolve("backups"))).hasSize(2);

        append("lost by the restore");
        long validity = inboxUidValidity();
        var restored = ok(cli("", "restore", ADDRESS, "--version", v));
        assertThat(restored.out()).contains("restored " + ADDRESS + " to version " + v);
        assertThat(subjects()).containsExactly("kept secret subject");
        assertThat(inboxUidValidity()).as("UIDs after the version may be handed out again").isNotEqualTo(validity);
        assertThat(Files.list(data.resolve("mailboxes")).map(p -> p.getFileName().toString()))
                .allMatch(n -> n.matches("[0-9a-f]{32}\\.sqlite(-wal|-shm)?"));
    }

    @Test
    void verifiedSnapshotsToS3WithThePassword() throws Exception {
        try (var s3 = new S3TestServer(tmp.resolve("s3"))) {
            s3.bucket("mail-backups", "");
            env.put("POSTVAULT_BACKUP_S3_BUCKET", "mail-backups");
            env.put("POSTVAULT_BACKUP_S3_ENDPOINT", s3.endpoint().toString());
            env.put("POSTVAULT_BACKUP_S3_PATH_STYLE", "true");
            env.put("POSTVAULT_BACKUP_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY);
            env.put("POSTVAULT_BACKUP_S3_SECRET_KEY", S3TestServer.SECRET_KEY);
            createAlias(tmp.resolve("data"));
            append("first");
            var run = ok(cli(PASSWORD + "\n", "backup", "run", ADDRESS, "--password-stdin"));
            assertThat(run.out()).contains("snapshot");
            assertThat(run.toString()).doesNotContain(S3TestServer.SECRET_KEY);
            String v = newestVersion();
            assertThat(data.resolve("backups")).doesNotExist();
            append("second");
            var restored = ok(cli(PASSWORD + "\n", "restore", ADDRESS, "--version", v, "--password-stdin"));
            assertThat(restored.out()).contains("opened with the password and integrity-checked");
            assertThat(subjects()).containsExactly("first");
        }
    }

    @Test
    void wrongPasswordsUnknownVersionsAndDamagedObjectsChangeNothing() throws Exception {
        createAlias(tmp.resolve("data"));
        append("one");
        assertThat(cli("wrong password here\n", "backup", "run", ADDRESS, "--password-stdin").exitCode()).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
        assertThat(cli("", "backup", "list", ADDRESS).out()).isEmpty();
        ok(cli("", "backup", "run", ADDRESS));
        String v = newestVersion();
        append("two");
        assertThat(cli("wrong password here\n", "restore", ADDRESS, "--version", v, "--password-stdin").exitCode())
                .isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
        var missing = cli("", "restore", ADDRESS, "--version", "20200101T000000000Z-0000");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("no backup version");
        Path object = Cli.allFiles(data.resolve("backups")).stream().filter(p -> p.toString().endsWith(".sqlite")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 1;
        Files.write(object, bytes);
        var damaged = cli("", "restore", ADDRESS, "--version", v);
        assertThat(damaged.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(damaged.err()).contains("does not match its checksum");
        assertThat(subjects()).containsExactly("one", "two");
    }

    @Test
    void aRunningServerLetsGoOfTheMailboxForARestore() throws Exception {
        try (var fx = new ServerFixture(tmp.resolve("data"))) {
            createAlias(fx.dataDir);
            append("before");
            ok(cli(PASSWORD + "\n", "backup", "run", ADDRESS, "--password-stdin"));
            String v = newestVersion();
            append("after");
            // A session of the server holds the mailbox open (its key in memory), as a logged-in client would.
            var user = fx.node().accounts().login(ADDRESS, PASSWORD);
            Mailbox openHere = fx.node().mailboxes().open(user.alias().id(), user.dek());
            var restored = ok(cli("", "restore", ADDRESS, "--version", v));
            assertThat(restored.err()).contains("asking the running server to let go of the mailbox");
            openHere.close(); // the withdrawn handle closes harmlessly
            assertThat(subjects()).containsExactly("before");
            // The server gives the mailbox back at its next poll; until then opening says "try again shortly".
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                try (Mailbox m = open(fx.node())) {
                    assertThat(m.messages(m.folder(Folder.INBOX).id())).hasSize(1);
                }
            });
        }
    }
}
