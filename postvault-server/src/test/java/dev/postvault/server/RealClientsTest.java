package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients people actually use: Python's smtplib delivers over STARTTLS, curl and Python's imaplib
 * read it back over TLS, verifying the server certificate. Skipped where the tool is not installed.
 */
class RealClientsTest {
    @TempDir Path dir;
    private ServerFixture fx;
    private String password;
    private Path caFile;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(dir.resolve("data"));
        fx.node().control().addDomain("example.org");
        password = fx.node().accounts().createAlias("hello@example.org", Optional.empty(), false).password();
        caFile = ExternalClients.caFile(fx, dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void pythonSmtplibDeliversAndCurlAndImaplibRead() throws Exception {
        assumeTrue(ExternalClients.onPath("python3"), "python3 not installed");
        String send = """
                import smtplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[2])
                with smtplib.SMTP('127.0.0.1', int(sys.argv[1])) as s:
                    s.starttls(context=ctx)
                    s.sendmail('alice@sender.example', ['hello@example.org'],
                        b'From: alice@sender.example\\r\\nTo: hello@example.org\\r\\nSubject: from python\\r\\n\\r\\nline one\\r\\n.dotted line\\r\\n')
                """;
        assertThat(ExternalClients.run(List.of("python3", "-c", send, String.valueOf(fx.server.port("smtp")), caFile.toString()))).isEmpty();

        String read = """
                import imaplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[2])
                m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ctx)
                m.login('hello@example.org', sys.argv[3])
                typ, data = m.select('INBOX')
                assert typ == 'OK' and data == [b'1'], data
                typ, data = m.fetch('1', '(BODY.PEEK[TEXT])')
                sys.stdout.write(data[0][1].decode())
                m.logout()
                """;
        assertThat(ExternalClients.run(List.of("python3", "-c", read, String.valueOf(fx.server.port("imaps")), caFile.toString(), password)))
                .isEqualTo("line one\r\n.dotted line\r\n");

        assumeTrue(ExternalClients.onPath("curl"), "curl not installed");
        String fetched = ExternalClients.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(),
                "imaps://127.0.0.1:" + fx.server.port("imaps") + "/INBOX;UID=1", "-u", "hello@example.org:" + password));
        assertThat(fetched).contains("Subject: from python").endsWith("line one\r\n.dotted line\r\n").startsWith("Return-Path: <alice@sender.example>\r\nReceived: ");
        String list = ExternalClients.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "--ssl-reqd",
                "imap://127.0.0.1:" + fx.server.port("imap") + "/", "-u", "hello@example.org:" + password));
        assertThat(list).contains("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"");
    }

    /**
     * mbsync (isync), the way people sync a laptop: pull into a Maildir, push a new local message and
     * a local flag change back, and a second run that finds nothing to do.
     */
    @Test
    void mbsyncPullsAndPushesMessagesAndFlags() throws Exception {
        assumeTrue(ExternalClients.onPath("mbsync"), "isync (mbsync) not installed");
        var alias = fx.node().control().alias("hello@example.org").orElseThrow();
        byte[] first = "From: a@remote.example\r\nSubject: pulled by mbsync\r\n\r\nhello from the server\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        fx.node().spool().enqueue(alias, new java.io.ByteArrayInputStream(first), java.time.Instant.now());
        java.nio.file.Path local = java.nio.file.Files.createDirectories(dir.resolve("mail"));
        java.nio.file.Path rc = dir.resolve("mbsyncrc");
        java.nio.file.Files.writeString(rc, """
                IMAPAccount pv
                Host 127.0.0.1
                Port %d
                User hello@example.org
                Pass %s
                SSLType IMAPS
                CertificateFile %s

                IMAPStore pv-remote
                Account pv

                MaildirStore pv-local
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel pv
                Far :pv-remote:
                Near :pv-local:
                Patterns *
                Create Both
                SyncState *
                Sync All
                Expunge Both
                """.formatted(fx.server.port("imaps"), password, caFile, local, local));
        java.util.List<String> mbsync = java.util.List.of("mbsync", "-c", rc.toString(), "-a");
        ExternalClients.run(mbsync, java.util.Map.of("HOME", dir.toString()));
        java.nio.file.Path inboxNew = local.resolve("INBOX/new");
        java.nio.file.Path inboxCur = local.resolve("INBOX/cur");
        java.util.List<java.nio.file.Path> pulled = new java.util.ArrayList<>();
        for (java.nio.file.Path d : java.util.List.of(inboxNew, inboxCur)) {
            try (var files = java.nio.file.Files.list(d)) {
                pulled.addAll(files.toList());
            }
        }
        assertThat(pulled).hasSize(1);
        // mbsync stores LF line ends and adds its own X-TUID header field; the rest is the message.
        String local0 = java.nio.file.Files.readString(pulled.getFirst()).replaceAll("(?m)^X-TUID: .*\n", "");
        assertThat(local0).isEqualTo(new String(first, java.nio.charset.StandardCharsets.US_ASCII).replace("\r\n", "\n"));
        assertThat(local.resolve("Sent")).isDirectory(); // every folder came across

        // Push: a new local message, and the pulled one flagged locally.
        java.nio.file.Files.writeString(inboxCur.resolve("1700000000.local.host:2,S"), "From: me@example.org\r\nSubject: pushed by mbsync\r\n\r\nfrom the laptop\r\n");
        java.nio.file.Path p = pulled.getFirst();
        String name = p.getFileName().toString();
        String flagged = name.contains(":2,") ? name + "F" : name + ":2,F";
        java.nio.file.Files.move(p, inboxCur.resolve(flagged));
        ExternalClients.run(mbsync, java.util.Map.of("HOME", dir.toString()));
        ExternalClients.run(mbsync, java.util.Map.of("HOME", dir.toString())); // nothing left to do: still succeeds

        var u = fx.node().accounts().login("hello@example.org", password);
        try (var m = fx.node().mailboxes().open(u.alias().id(), u.dek())) {
            var inbox = m.messages(m.folder("INBOX").id());
            assertThat(inbox).hasSize(2);
            assertThat(inbox.getFirst().flags().system()).contains(dev.postvault.store.mailbox.SystemFlag.FLAGGED);
            assertThat(new String(m.raw(inbox.get(1).contentId()), java.nio.charset.StandardCharsets.US_ASCII)).contains("Subject: pushed by mbsync");
            assertThat(inbox.get(1).flags().system()).contains(dev.postvault.store.mailbox.SystemFlag.SEEN);
        }
    }

    /**
     * Issue 11: mbsync with its defaults, which in 1.4.4 turn COMPRESS=DEFLATE on, over IMAPS. It pulls a
     * message with a 1 MiB attachment, then pushes a 23 KB message (a LITERAL+ literal, once refused
     * over 4 KiB) and one with a 1 MiB attachment (a synchronizing literal, whose '+' once went out
     * around the compressor: "invalid distance too far back").
     */
    @Test
    void mbsyncMovesLargeMessagesBothWaysOverCompressedImaps() throws Exception {
        assumeTrue(ExternalClients.onPath("mbsync"), "isync (mbsync) not installed");
        mbsyncMovesLargeMessagesBothWays("""
                Port %d
                SSLType IMAPS
                CertificateFile %s
                """.formatted(fx.server.port("imaps"), caFile));
    }

    /**
     * Issue 11 on a plain loopback connection. The server once sent an empty deflate block right after
     * "OK DEFLATE active"; mbsync, reading both at once, took the block for plain text and failed with
     * "empty response". (Over TLS each write is a record of its own, read apart, so only plain showed
     * it.) Straight over loopback the two writes are usually read apart too, so the connection goes
     * through a {@link CoalescingRelay} that delivers them together, as a real network does.
     */
    @Test
    void mbsyncMovesLargeMessagesBothWaysOverCompressedPlainLoopback() throws Exception {
        assumeTrue(ExternalClients.onPath("mbsync"), "isync (mbsync) not installed");
        fx.close();
        fx = new ServerFixture(dir.resolve("data"), true); // the same account, now taking passwords on the plain port
        try (var relay = new CoalescingRelay(fx.server.port("imap"), Duration.ofMillis(20))) {
            // mbsync sends a password in the clear only with LOGIN named explicitly.
            mbsyncMovesLargeMessagesBothWays("""
                    Port %d
                    SSLType None
                    AuthMechs LOGIN
                    """.formatted(relay.port()));
        }
    }

    /**
     * Pulls a message with a 1 MiB attachment into an empty Maildir, pushes a 23 KB message and then one
     * with a 1 MiB attachment, and syncs once more with nothing to do. {@code connection} holds the
     * mbsyncrc lines that reach the server; nothing else departs from mbsync's defaults. Messages are
     * compared by length and digest, so a failure does not print a megabyte.
     */
    private void mbsyncMovesLargeMessagesBothWays(String connection) throws Exception {
        var alias = fx.node().control().alias("hello@example.org").orElseThrow();
        fx.node().spool().enqueue(alias, new ByteArrayInputStream(withAttachment("pulled by mbsync", 1 << 20, 1).getBytes(US_ASCII)), Instant.now());
        Path local = Files.createDirectories(dir.resolve("mail"));
        Path rc = dir.resolve("mbsyncrc");
        Files.writeString(rc, """
                IMAPAccount pv
                Host 127.0.0.1
                User hello@example.org
                Pass %s
                %s

                IMAPStore pv-remote
                Account pv

                MaildirStore pv-local
                Path %s/
                Inbox %s/INBOX

                Channel pv
                Far :pv-remote:
                Near :pv-local:
                Patterns INBOX
                Create Both
                SyncState *
                Sync All
                """.formatted(password, connection, local, local));
        List<String> mbsync = List.of("mbsync", "-c", rc.toString(), "-a");
        Map<String, String> env = Map.of("HOME", dir.toString());
        Path inbox = local.resolve("INBOX");

        ExternalClients.run(mbsync, env);
        List<Path> pulled = maildirFiles(inbox);
        assertThat(pulled).hasSize(1);
        byte[] held = serverInbox().getFirst();
        // mbsync stores LF line ends and adds its own X-TUID header field; the rest is the message.
        assertThat(fingerprint(Files.readString(pulled.getFirst(), US_ASCII).replaceAll("(?m)^X-TUID: .*\n", "")))
                .as("pulled message against the server's copy")
                .isEqualTo(fingerprint(new String(held, US_ASCII).replace("\r\n", "\n")));

        // Written as a Maildir holds mail, with LF line ends; mbsync sends CRLF. One push per run, so a
        // failure names the literal that broke.
        String medium = withAttachment("pushed by mbsync, 23 KB", 16 * 1024, 2).replace("\r\n", "\n");
        Files.writeString(inbox.resolve("cur/1700000001.medium.laptop:2,S"), medium, US_ASCII);
        ExternalClients.run(mbsync, env);
        String large = withAttachment("pushed by mbsync, 1 MiB attachment", 1 << 20, 3).replace("\r\n", "\n");
        Files.writeString(inbox.resolve("cur/1700000002.large.laptop:2,S"), large, US_ASCII);
        ExternalClients.run(mbsync, env);
        ExternalClients.run(mbsync, env); // nothing left to do: still succeeds

        assertThat(maildirFiles(inbox)).hasSize(3);
        List<String> onServer = new ArrayList<>();
        for (byte[] raw : serverInbox()) {
            onServer.add(fingerprint(new String(raw, US_ASCII).replaceAll("(?m)^X-TUID: .*\r\n", "")));
        }
        assertThat(onServer).as("server INBOX: the pulled message, then the 23 KB and the 1 MiB push")
                .containsExactly(fingerprint(new String(held, US_ASCII)), fingerprint(medium.replace("\n", "\r\n")),
                        fingerprint(large.replace("\n", "\r\n")));
    }

    /** A multipart/mixed message, CRLF line ends, carrying {@code attachmentBytes} random octets (from {@code seed}) in base64. */
    private static String withAttachment(String subject, int attachmentBytes, long seed) {
        byte[] attachment = new byte[attachmentBytes];
        new Random(seed).nextBytes(attachment);
        return String.join("\r\n",
                "From: a@remote.example",
                "To: hello@example.org",
                "Subject: " + subject,
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"=-part\"",
                "",
                "--=-part",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "The attachment is random octets.",
                "--=-part",
                "Content-Type: application/octet-stream",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"random.bin\"",
                "",
                Base64.getMimeEncoder(76, "\r\n".getBytes(US_ASCII)).encodeToString(attachment),
                "--=-part--",
                "");
    }

    /** Length and SHA-256 of a message: enough to compare two, short enough for a failure message. */
    private static String fingerprint(String message) throws Exception {
        byte[] octets = message.getBytes(US_ASCII);
        return octets.length + " octets, SHA-256 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(octets));
    }

    private static List<Path> maildirFiles(Path folder) throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path d : List.of(folder.resolve("new"), folder.resolve("cur"))) {
            try (var in = Files.list(d)) {
                files.addAll(in.toList());
            }
        }
        return files;
    }

    /** The raw octets of every message in the server's INBOX, in UID order. */
    private List<byte[]> serverInbox() throws Exception {
        var u = fx.node().accounts().login("hello@example.org", password);
        try (var m = fx.node().mailboxes().open(u.alias().id(), u.dek())) {
            List<byte[]> raws = new ArrayList<>();
            for (var message : m.messages(m.folder("INBOX").id())) {
                raws.add(m.raw(message.contentId()));
            }
            return raws;
        }
    }

    /** getmail6's IMAP retriever over verified TLS, reading every folder it is told to and keeping the mail on the server. */
    @Test
    void getmail6RetrievesOverImaps() throws Exception {
        assumeTrue(ExternalClients.onPath("getmail"), "getmail6 not installed");
        var alias = fx.node().control().alias("hello@example.org").orElseThrow();
        byte[] raw = "From: a@remote.example\r\nSubject: fetched by getmail over IMAP\r\n\r\nbody line\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        fx.node().spool().enqueue(alias, new java.io.ByteArrayInputStream(raw), java.time.Instant.now());
        java.nio.file.Path out = java.nio.file.Files.createDirectories(dir.resolve("getmail-out"));
        java.nio.file.Path rc = dir.resolve("getmailrc-imap");
        java.nio.file.Files.writeString(rc, """
                [retriever]
                type = SimpleIMAPSSLRetriever
                server = 127.0.0.1
                port = %d
                username = hello@example.org
                password = %s
                ca_certs = %s
                mailboxes = ("INBOX",)
                [destination]
                type = MDA_external
                path = /bin/sh
                arguments = ("-c", "cat > $(mktemp %s/msg-XXXXXX)")
                allow_root_commands = true
                unixfrom = false
                [options]
                read_all = true
                delete = false
                delivered_to = false
                received = false
                verbose = 0
                """.formatted(fx.server.port("imaps"), password, caFile, out));
        ExternalClients.run(java.util.List.of("getmail", "--getmaildir", dir.toString(), "--rcfile", rc.toString()), java.util.Map.of());
        java.util.List<java.nio.file.Path> got;
        try (var files = java.nio.file.Files.list(out)) {
            got = files.toList();
        }
        assertThat(got).hasSize(1);
        // getmail puts Return-Path in front and names the source folder in a header field of its own.
        assertThat(java.nio.file.Files.readString(got.getFirst()).replace("\r\n", "\n").replaceAll("(?m)^X-getmail-retrieved-from-mailbox: .*\n", ""))
                .endsWith(new String(raw, java.nio.charset.StandardCharsets.US_ASCII).replace("\r\n", "\n"));
        var u = fx.node().accounts().login("hello@example.org", password);
        try (var m = fx.node().mailboxes().open(u.alias().id(), u.dek())) {
            assertThat(m.messages(m.folder("INBOX").id())).hasSize(1); // delete = false: still on the server
        }
    }

    /**
     * offlineimap (offlineimap3) over verified TLS: pulls every folder, then pushes a message written
     * into the local Maildir. (It checks the certificate's host name, which is "localhost".)
     */
    @Test
    void offlineimapSyncsBothWays() throws Exception {
        assumeTrue(ExternalClients.onPath("offlineimap"), "offlineimap3 not installed");
        var alias = fx.node().control().alias("hello@example.org").orElseThrow();
        for (int i = 1; i <= 2; i++) {
            byte[] raw = ("From: a@remote.example\r\nSubject: offlineimap " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            fx.node().spool().enqueue(alias, new java.io.ByteArrayInputStream(raw), java.time.Instant.now());
        }
        java.nio.file.Path local = dir.resolve("offlineimap-mail");
        java.nio.file.Path rc = dir.resolve("offlineimaprc");
        java.nio.file.Files.writeString(rc, """
                [general]
                accounts = pv
                metadata = %s

                [Account pv]
                localrepository = local
                remoterepository = remote

                [Repository local]
                type = Maildir
                localfolders = %s

                [Repository remote]
                type = IMAP
                remotehost = localhost
                remoteport = %d
                remoteuser = hello@example.org
                remotepass = %s
                ssl = yes
                sslcacertfile = %s
                """.formatted(dir.resolve("offlineimap-meta"), local, fx.server.port("imaps"), password, caFile));
        java.util.List<String> sync = java.util.List.of("offlineimap", "-c", rc.toString(), "-o", "-u", "basic");
        String first = new String(ExternalClients.run(sync, java.util.Map.of("HOME", dir.toString())), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first).doesNotContain("ERROR");
        try (var files = java.nio.file.Files.list(local.resolve("INBOX/new"))) {
            assertThat(files.toList()).hasSize(2);
        }
        assertThat(local.resolve("Sent")).isDirectory();
        java.nio.file.Files.writeString(local.resolve("INBOX/new/1700000000.42.laptop"), "From: me@example.org\nSubject: written offline\n\nsent up by offlineimap\n");
        String second = new String(ExternalClients.run(sync, java.util.Map.of("HOME", dir.toString())), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(second).doesNotContain("ERROR");
        var u = fx.node().accounts().login("hello@example.org", password);
        try (var m = fx.node().mailboxes().open(u.alias().id(), u.dek())) {
            var inbox = m.messages(m.folder("INBOX").id());
            assertThat(inbox).hasSize(3);
            assertThat(new String(m.raw(inbox.get(2).contentId()), java.nio.charset.StandardCharsets.US_ASCII)).contains("Subject: written offline");
        }
    }
}
