package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.server.tls.SelfSignedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
        var cert = SelfSignedTls.certificate(fx.dataDir, fx.node().serverKey());
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void pythonSmtplibDeliversAndCurlAndImaplibRead() throws Exception {
        assumeTrue(onPath("python3"), "python3 not installed");
        String send = """
                import smtplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[2])
                with smtplib.SMTP('127.0.0.1', int(sys.argv[1])) as s:
                    s.starttls(context=ctx)
                    s.sendmail('alice@sender.example', ['hello@example.org'],
                        b'From: alice@sender.example\\r\\nTo: hello@example.org\\r\\nSubject: from python\\r\\n\\r\\nline one\\r\\n.dotted line\\r\\n')
                """;
        assertThat(run(List.of("python3", "-c", send, String.valueOf(fx.server.port("smtp")), caFile.toString()))).isEmpty();

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
        assertThat(run(List.of("python3", "-c", read, String.valueOf(fx.server.port("imaps")), caFile.toString(), password)))
                .isEqualTo("line one\r\n.dotted line\r\n");

        assumeTrue(onPath("curl"), "curl not installed");
        String fetched = run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(),
                "imaps://127.0.0.1:" + fx.server.port("imaps") + "/INBOX;UID=1", "-u", "hello@example.org:" + password));
        assertThat(fetched).contains("Subject: from python").endsWith("line one\r\n.dotted line\r\n").startsWith("Return-Path: <alice@sender.example>\r\nReceived: ");
        String list = run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "--ssl-reqd",
                "imap://127.0.0.1:" + fx.server.port("imap") + "/", "-u", "hello@example.org:" + password));
        assertThat(list).contains("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String s = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s said: %s", command.getFirst(), s).isZero();
        return s;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
