package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Interoperability with an independent client: CPython's smtplib, with STARTTLS and 8BITMIME. */
class PythonSmtplibTest {

    private static final String SCRIPT = """
            import smtplib, ssl, sys
            port, cafile = int(sys.argv[1]), sys.argv[2]
            context = ssl.create_default_context(cafile=cafile)
            message = ("Subject: from python\\r\\n\\r\\n.dot line\\r\\n..two\\r\\n"
                       "Grüße\\r\\n").encode("utf-8")
            with smtplib.SMTP("127.0.0.1", port, local_hostname="py.client.example", timeout=10) as s:
                s.starttls(context=context)
                refused = s.sendmail("alice@elsewhere.example", ["bob@example.com", "nobody@example.com"],
                                     message, mail_options=["BODY=8BITMIME"])
                print("refused=" + ",".join(sorted(refused)))
            """;

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void pythonSmtplibDeliversOverStartTls() throws Exception {
        assumeTrue(pythonAvailable(), "python3 not installed");
        TestTls tls = TestTls.get();
        RecordingPort port = RecordingPort.standard();
        SmtpServerConfig config = SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test")
                .withStartTls(tls.serverContext);
        try (SmtpServer server = new SmtpServer(config, port)) {
            server.start();
            Process python = new ProcessBuilder(List.of("python3", "-c", SCRIPT, Integer.toString(server.port()),
                    tls.certificatePem.toString())).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output.trim()).isEqualTo("refused=nobody@example.com");
        }
        RecordingPort.Delivery delivery = port.deliveries.getFirst();
        assertThat(port.deliveries).hasSize(1);
        assertThat(delivery.transaction().tls()).isTrue();
        assertThat(delivery.transaction().heloName()).isEqualTo("py.client.example");
        assertThat(delivery.transaction().recipients()).containsExactly("bob@example.com");
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8))
                .isEqualTo("Subject: from python\r\n\r\n.dot line\r\n..two\r\nGrüße\r\n");
    }
}
