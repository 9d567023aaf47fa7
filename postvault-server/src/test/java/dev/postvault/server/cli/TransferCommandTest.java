package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.ExternalClientsAccess;
import dev.postvault.server.Node;
import dev.postvault.server.ServerFixture;
import dev.postvault.server.tools.OpenWithPassphrase;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SystemFlag;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postvault export} and {@code postvault import} against real encrypted mailboxes and a real IMAP server. */
class TransferCommandTest {
    private static final String A = "alice@example.org";
    private static final String B = "bob@example.org";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir Path tmp;
    private Path data;

    private Cli.Result cli(String stdin, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = data.toString();
        return Cli.runWithStdin(Map.of(), stdin, all);
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private void setUp(Path dataDir) {
        data = dataDir;
        ok(cli("", "domain", "add", "example.org"));
        ok(cli(PASSWORD + "\n", "alias", "add", A, "--password-stdin"));
        ok(cli(PASSWORD + "\n", "alias", "add", B, "--password-stdin"));
    }

    private static byte[] msg(String subject, String body) {
        return ("From: Sender <s@remote.example>\r\nTo: " + A + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private interface WithMailbox<T> {
        T run(Mailbox m) throws Exception;
    }

    private <T> T with(String address, WithMailbox<T> work) throws Exception {
        try (Node node = Node.open(data, Node.Settings.DEFAULT)) {
            Unlocked u = node.accounts().login(address, PASSWORD);
            try (Mailbox m = node.mailboxes().open(u.alias().id(), u.dek())) {
                return work.run(m);
            }
        }
    }

    record Stored(String folder, byte[] raw, MessageFlags flags, Instant date) {}

    private List<Stored> all(String address) throws Exception {
        return with(address, m -> {
            List<Stored> out = new ArrayList<>();
            for (Folder f : m.folders()) {
                if (f.noselect()) continue;
                for (MessageMeta meta : m.messages(f.id())) out.add(new Stored(f.name(), m.raw(meta.contentId()), meta.flags(), meta.internalDate()));
            }
            return out;
        });
    }

    @Test
    void exportsInEveryFormatAndTheSqliteFileOpensWithThePasswordAloneInAnotherProcess() throws Exception {
        setUp(tmp.resolve("data"));
        with(A, m -> {
            m.append("INBOX", msg("one", "From here on\r\n>From quoted\r\nend"), MessageFlags.of(SystemFlag.SEEN), Instant.parse("2026-01-02T03:04:05Z"));
            m.append("INBOX", msg("two", "second"), MessageFlags.NONE, Instant.parse("2026-01-03T03:04:05Z"));
            m.createFolder("Projects/2026", Optional.empty());
            m.append("Projects/2026", msg("three", "in a subfolder"), MessageFlags.NONE, Instant.parse("2026-01-04T03:04:05Z"));
            return null;
        });
        Path mbox = tmp.resolve("inbox.mbox");
        assertThat(ok(cli(PASSWORD + "\n", "export", A, "--format", "mbox", "--output", mbox.toString(), "--password-stdin")).out())
                .contains("exported 2 messages");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mbox))).isEqualTo("rw-------");
        String text = Files.readString(mbox);
        assertThat(text).startsWith("From MAILER-DAEMON Fri Jan  2 03:04:05 2026\n").contains("\n>From here on\n>>From quoted\n")
                .doesNotContain("\r\n");

        Path zip = tmp.resolve("all.zip");
        ok(cli(PASSWORD + "\n", "export", A, "--format", "eml-zip", "--output", zip.toString(), "--password-stdin"));
        try (var z = new ZipFile(zip.toFile())) {
            assertThat(z.stream().map(e -> e.getName()).toList()).containsExactly("INBOX/00000001.eml", "INBOX/00000002.eml", "Projects/2026/00000001.eml");
            assertThat(z.getInputStream(z.getEntry("Projects/2026/00000001.eml")).readAllBytes()).isEqualTo(msg("three", "in a subfolder"));
        }

        Path sqlite = tmp.resolve("mailbox.sqlite");
        ok(cli(PASSWORD + "\n", "export", A, "--format", "sqlite", "--output", sqlite.toString(), "--password-stdin"));
        assertThat(Cli.filesContaining(tmp, "in a subfolder")).doesNotContain(sqlite); // encrypted, under the password
        assertThat(sqlite.resolveSibling("mailbox.sqlite-wal")).doesNotExist();
        String sqliteJar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("sqlite-jdbc")).findFirst().orElseThrow();
        String testClasses = Path.of(OpenWithPassphrase.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", sqliteJar + File.pathSeparator + testClasses, OpenWithPassphrase.class.getName(), sqlite.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("messages 3").contains("integrity ok");

        assertThat(cli("wrong password!\n", "export", A, "--format", "mbox", "--output", tmp.resolve("x").toString(), "--password-stdin").exitCode())
                .isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void anMboxImportKeepsDatesAndFlagsAndRunningItTwiceStoresNothingTwice() throws Exception {
        setUp(tmp.resolve("data"));
        Path mbox = Files.writeString(tmp.resolve("old.mbox"), """
                From someone@example.net Mon Mar  2 10:11:12 2026
                From: someone@example.net
                Subject: read and answered
                Status: RO
                X-Status: A

                first body
                >From the start of a line

                From someone@example.net Tue Mar  3 10:11:12 2026
                From: someone@example.net
                Subject: flagged, unread

                second body
                """.replace("X-Status: A\n", "X-Status: AF\n").replace("Subject: flagged, unread\n", "Subject: flagged, unread\nX-Status: F\n"));
        var first = ok(cli(PASSWORD + "\n", "import", B, mbox.toString(), "--from", "mbox", "--folder", "Old mail", "--password-stdin"));
        assertThat(first.out()).contains("imported 2 messages; 0 were there already");
        assertThat(first.err()).contains("import [").contains("2/2");
        var second = ok(cli(PASSWORD + "\n", "import", B, mbox.toString(), "--from", "mbox", "--folder", "Old mail", "--password-stdin"));
        assertThat(second.out()).contains("imported 0 messages; 2 were there already");
        List<Stored> got = all(B);
        assertThat(got).hasSize(2).allMatch(s -> s.folder().equals("Old mail"));
        assertThat(new String(got.get(0).raw(), StandardCharsets.UTF_8)).contains("first body\r\nFrom the start of a line\r\n");
        assertThat(got.get(0).date()).isEqualTo(Instant.parse("2026-03-02T10:11:12Z"));
        assertThat(got.get(0).flags().system()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.ANSWERED, SystemFlag.FLAGGED);
        assertThat(got.get(1).flags().system()).containsExactly(SystemFlag.FLAGGED);
    }

    @Test
    void aMaildirImportKeepsFoldersFlagsAndDates() throws Exception {
        setUp(tmp.resolve("data"));
        Path md = tmp.resolve("Maildir");
        for (String d : List.of("cur", "new", "tmp", ".Lists.Java/cur", ".Lists.Java/new", ".Lists.Java/tmp")) Files.createDirectories(md.resolve(d));
        Path seen = Files.writeString(md.resolve("cur/1700000000.1.host:2,RS"), "Subject: replied\n\nbody one\n");
        Files.setLastModifiedTime(seen, FileTime.from(Instant.parse("2025-05-05T05:05:05Z")));
        Files.writeString(md.resolve("new/1700000001.2.host"), "Subject: new one\n\nbody two\n");
        Files.writeString(md.resolve(".Lists.Java/cur/1700000002.3.host:2,FS"), "Subject: list mail\n\nbody three\n");
        ok(cli(PASSWORD + "\n", "import", B, md.toString(), "--from", "maildir", "--password-stdin"));
        assertThat(ok(cli(PASSWORD + "\n", "import", B, md.toString(), "--from", "maildir", "--password-stdin")).out())
                .contains("imported 0 messages; 3 were there already");
        List<Stored> got = all(B);
        assertThat(got).extracting(Stored::folder).containsExactly("INBOX", "INBOX", "Lists/Java");
        assertThat(got.get(0).raw()).isEqualTo("Subject: replied\r\n\r\nbody one\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(got.get(0).flags().system()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.ANSWERED);
        assertThat(got.get(0).date()).isEqualTo(Instant.parse("2025-05-05T05:05:05Z"));
        assertThat(got.get(1).flags().system()).isEmpty();
        assertThat(got.get(2).flags().system()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.FLAGGED);
    }

    @Test
    void anImapImportCopiesEveryFolderOverVerifiedTls() throws Exception {
        try (var fx = new ServerFixture(tmp.resolve("data"))) {
            setUp(fx.dataDir);
            with(A, m -> {
                m.append("INBOX", msg("remote one", "x"), MessageFlags.of(SystemFlag.SEEN, SystemFlag.FLAGGED), Instant.parse("2026-02-02T02:02:02Z"));
                m.createFolder("Archive/2025", Optional.empty());
                m.append("Archive/2025", msg("remote two", "y"), MessageFlags.NONE, Instant.parse("2025-12-12T12:12:12Z"));
                return null;
            });
            Path ca = ExternalClientsAccess.caFile(fx, tmp);
            String url = "imaps://alice%40example.org@localhost:" + fx.server.port("imaps");
            String stdin = PASSWORD + "\n" + PASSWORD + "\n";
            var r = ok(cli(stdin, "import", B, url, "--from", "imap", "--imap-ca-file", ca.toString(), "--password-stdin"));
            assertThat(r.out()).contains("imported 2 messages");
            assertThat(ok(cli(stdin, "import", B, url, "--from", "imap", "--imap-ca-file", ca.toString(), "--password-stdin")).out())
                    .contains("imported 0 messages; 2 were there already");
            Map<String, Stored> byFolder = new HashMap<>();
            for (Stored s : all(B)) byFolder.put(s.folder(), s);
            assertThat(byFolder.get("INBOX").raw()).isEqualTo(msg("remote one", "x"));
            assertThat(byFolder.get("INBOX").flags().system()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.FLAGGED);
            assertThat(byFolder.get("INBOX").date()).isEqualTo(Instant.parse("2026-02-02T02:02:02Z"));
            assertThat(byFolder.get("Archive/2025").raw()).isEqualTo(msg("remote two", "y"));
            // The source was only read: nothing there became \\Seen.
            assertThat(all(A).stream().filter(s -> s.folder().equals("Archive/2025")).findFirst().orElseThrow().flags().system()).isEmpty();
            var untrusted = cli(stdin, "import", B, url, "--from", "imap", "--password-stdin");
            assertThat(untrusted.exitCode()).as("the self-signed certificate is not trusted by default").isEqualTo(ExitCodes.TEMPORARY);
        }
    }
}
