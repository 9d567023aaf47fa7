package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.smtp.client.SmtpClient;
import dev.postvault.smtp.session.RejectionKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound client against real servers on loopback: Postvault's own MX (STARTTLS, per-recipient
 * refusals, a failing delivery) and CPython's smtpd, an independent receiver, for the bytes on the wire.
 */
class SmtpClientTest {
    @TempDir Path tmp;

    private static final byte[] MESSAGE = ("From: <alice@sender.example>\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n"
            + "middle . dot\r\n.\r\nlast line without break").getBytes(StandardCharsets.US_ASCII);
    /** What arrives: the same bytes, with the final line break the data needed. */
    private static final byte[] ARRIVES = ("From: <alice@sender.example>\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n"
            + "middle . dot\r\n.\r\nlast line without break\r\n").getBytes(StandardCharsets.US_ASCII);

    private static SmtpServer mx() throws Exception {
        SmtpServer server = new SmtpServer(SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test")
                .withStartTls(TestTls.get().serverContext), RecordingPort.standard());
        server.start();
        return server;
    }

    private static InetSocketAddress at(SmtpServer s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port());
    }

    @Test
    void deliversOverStartTlsWithEachRecipientAnsweredAndReusesTheConnection() throws Exception {
        RecordingPort port = RecordingPort.standard();
        try (SmtpServer server = new SmtpServer(SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test")
                .withStartTls(TestTls.get().serverContext), port)) {
            server.start();
            try (SmtpClient c = SmtpClient.connect(at(server), "localhost", "out.postvault.test", Duration.ofSeconds(10),
                    Optional.of(TestTls.get().clientContext), true)) {
                assertThat(c.tls()).isTrue();
                var first = c.send("alice@sender.example", List.of("bob@example.com", "nobody@example.com"), MESSAGE, false, false);
                assertThat(first.recipients().get("bob@example.com").code()).isEqualTo(250);
                assertThat(first.recipients().get("nobody@example.com").code()).isEqualTo(550);
                var second = c.send("alice@sender.example", List.of("carol@example.com"), MESSAGE, true, false);
                assertThat(second.recipients().get("carol@example.com").code()).isEqualTo(250);
                port.failDeliveriesWith(RejectionKind.TEMPORARY);
                var third = c.send("alice@sender.example", List.of("bob@example.com"), MESSAGE, false, false);
                assertThat(third.recipients().get("bob@example.com").code()).isEqualTo(451);
            }
        }
        assertThat(port.deliveries).hasSize(2);
        assertThat(port.deliveries.get(0).transaction().tls()).isTrue();
        assertThat(port.deliveries.get(0).transaction().recipients()).containsExactly("bob@example.com");
        byte[] stored = port.deliveries.get(0).message();
        String text = new String(stored, StandardCharsets.US_ASCII);
        assertThat(text.substring(text.indexOf("From: <alice"))).isEqualTo(new String(ARRIVES, StandardCharsets.US_ASCII));
        assertThat(port.deliveries.get(1).transaction().body().name()).isEqualTo("EIGHT_BIT_MIME");
    }

    @Test
    void requiredTlsThatIsNotOfferedOrNotTrustedFails() throws Exception {
        try (SmtpServer plain = new SmtpServer(SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test"), RecordingPort.standard())) {
            plain.start();
            assertThatThrownBy(() -> SmtpClient.connect(at(plain), "localhost", "out.test", Duration.ofSeconds(5),
                    Optional.of(TestTls.get().clientContext), true)).hasMessageContaining("TLS required");
            // Not required: the client goes on in clear (opportunistic TLS, RFC 3207).
            try (SmtpClient c = SmtpClient.connect(at(plain), "localhost", "out.test", Duration.ofSeconds(5),
                    Optional.of(TestTls.get().clientContext), false)) {
                assertThat(c.tls()).isFalse();
            }
        }
        try (SmtpServer tls = mx()) {
            // The certificate names localhost: asked for another MX name, the handshake fails.
            assertThatThrownBy(() -> SmtpClient.connect(at(tls), "mx.elsewhere.example", "out.test", Duration.ofSeconds(5),
                    Optional.of(TestTls.get().clientContext), true)).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void anIndependentReceiverGetsTheBytesUnstuffed() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python), "Debian's python3 is not installed");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path out = tmp.resolve("received");
        // CPython 3.11's smtpd (deprecated, still shipped): writes each message's data to a file.
        String script = """
                import smtpd, asyncore, sys
                class Sink(smtpd.SMTPServer):
                    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
                        open(sys.argv[2], "wb").write(data if isinstance(data, bytes) else data.encode())
                        print("got", mailfrom, ",".join(rcpttos), flush=True)
                Sink(("127.0.0.1", int(sys.argv[1])), None, decode_data=False)
                print("ready", flush=True)
                asyncore.loop()
                """;
        Process sink = new ProcessBuilder(python.toString(), "-W", "ignore", "-c", script, Integer.toString(port), out.toString())
                .redirectErrorStream(true).start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("ready");
            try (SmtpClient c = SmtpClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "localhost",
                    "out.test", Duration.ofSeconds(10), Optional.empty(), false)) {
                var r = c.send("alice@sender.example", List.of("bob@receiver.example"), MESSAGE, false, false);
                assertThat(r.recipients().get("bob@receiver.example").code()).isEqualTo(250);
            }
            assertThat(lines.readLine()).isEqualTo("got alice@sender.example bob@receiver.example");
            // smtpd hands the data over with its lines joined by LF and without the last line break.
            assertThat(new String(Files.readAllBytes(out), StandardCharsets.US_ASCII) + "\n")
                    .isEqualTo(new String(ARRIVES, StandardCharsets.US_ASCII).replace("\r\n", "\n"));
        } finally {
            sink.destroyForcibly();
            sink.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
