package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.smtp.SmtpTestClient.Reply;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StartTlsTest {

    private static TestTls tls;
    private final RecordingPort port = RecordingPort.standard();
    private SmtpServer server;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.get();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SmtpServer start(SmtpServerConfig config) {
        server = new SmtpServer(config, port);
        server.start();
        return server;
    }

    private SmtpServerConfig plain() {
        return SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test");
    }

    private static void deliverOne(SmtpTestClient c) throws Exception {
        assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
        assertThat(c.command("RCPT TO:<bob@example.com>").code()).isEqualTo(250);
        assertThat(c.command("DATA").code()).isEqualTo(354);
        assertThat(c.command("Subject: secret\r\n\r\nover TLS\r\n.").code()).isEqualTo(250);
    }

    @Test
    void startTlsThenEhloAgainThenDeliver() throws Exception {
        start(plain().withStartTls(tls.serverContext));
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            assertThat(c.command("EHLO client.example").lines()).contains("STARTTLS");
            Reply ready = c.command("STARTTLS");
            assertThat(ready.code()).isEqualTo(220);
            assertThat(ready.enhanced()).isEqualTo("2.0.0");
            c.startTls(tls.clientContext);
            // RFC 3207 §4.2: the session is reset; EHLO again, and STARTTLS is no longer offered
            assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(503);
            Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).doesNotContain("STARTTLS").contains("CHUNKING");
            assertThat(c.command("STARTTLS").code()).isEqualTo(503);
            deliverOne(c);
        }
        RecordingPort.Delivery delivery = port.deliveries.getFirst();
        assertThat(delivery.transaction().tls()).isTrue();
        assertThat(delivery.text()).contains(" with ESMTPS id ").endsWith("Subject: secret\r\n\r\nover TLS\r\n");
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscarded() throws Exception {
        start(plain().withStartTls(tls.serverContext));
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            c.command("EHLO client.example");
            // CVE-2011-0411 class: plaintext injected behind STARTTLS must not run inside the TLS session
            c.send("STARTTLS\r\nEHLO evil.example\r\nMAIL FROM:<evil@evil.example>\r\nRCPT TO:<bob@example.com>\r\n");
            assertThat(c.reply().code()).isEqualTo(220);
            c.startTls(tls.clientContext);
            assertThat(c.command("RCPT TO:<bob@example.com>").code()).isEqualTo(503);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
        assertThat(port.checked).isEmpty();
    }

    @Test
    void startTlsNotOfferedWithoutContext() throws Exception {
        start(plain());
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            assertThat(c.command("EHLO client.example").lines()).doesNotContain("STARTTLS");
            Reply refused = c.command("STARTTLS");
            assertThat(refused.code()).isEqualTo(502);
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void startTlsIsRefusedInsideATransactionAndBeforeEhlo() throws Exception {
        start(plain().withStartTls(tls.serverContext));
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            assertThat(c.command("STARTTLS").code()).isEqualTo(503);
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("STARTTLS").code()).isEqualTo(503);
            assertThat(c.command("STARTTLS now").code()).isEqualTo(501);
        }
    }

    @Test
    void implicitTlsListener() throws Exception {
        start(plain().withImplicitTls(tls.serverContext));
        try (SmtpTestClient c = SmtpTestClient.implicitTls(server.port(), tls.clientContext)) {
            assertThat(c.reply().code()).isEqualTo(220);
            assertThat(c.command("EHLO client.example").lines()).doesNotContain("STARTTLS");
            deliverOne(c);
        }
        assertThat(port.deliveries.getFirst().transaction().tls()).isTrue();
    }
}
