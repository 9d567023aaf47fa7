package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
