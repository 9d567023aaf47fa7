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
}
