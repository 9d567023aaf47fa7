package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.smtp.SmtpTestClient.Reply;
import dev.postvault.smtp.session.SmtpLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {

    private final RecordingPort port = RecordingPort.standard();
    private SmtpServer server;

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

    private static SmtpServerConfig config() {
        return SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test");
    }

    @Test
    void connectionsBeyondTheLimitGet421() throws Exception {
        start(config().withMaxConnections(1));
        try (SmtpTestClient first = new SmtpTestClient(server.port())) {
            assertThat(first.reply().code()).isEqualTo(220);
            try (SmtpTestClient second = new SmtpTestClient(server.port())) {
                Reply busy = second.reply();
                assertThat(busy.code()).isEqualTo(421);
                assertThat(busy.enhanced()).isEqualTo("4.3.2");
                assertThat(second.closedByServer()).isTrue();
            }
            first.command("QUIT");
        }
        Poll.until(Duration.ofSeconds(5), () -> server.activeConnections() == 0);
        try (SmtpTestClient third = new SmtpTestClient(server.port())) {
            assertThat(third.reply().code()).isEqualTo(220);
        }
    }

    @Test
    void idleClientsTimeOutWith421() throws Exception {
        start(config().withLimits(SmtpLimits.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300))));
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            Reply timeout = c.reply(); // we say nothing
            assertThat(timeout.code()).isEqualTo(421);
            assertThat(timeout.enhanced()).isEqualTo("4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.reply();
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            c.send("Subject: stalled\r\n");
            assertThat(c.reply().code()).isEqualTo(421); // data timeout
        }
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void closeDisconnectsLiveSessionsAndStopsListening() throws Exception {
        start(config());
        int boundPort = server.port();
        assertThat(boundPort).isPositive();
        try (SmtpTestClient c = new SmtpTestClient(boundPort)) {
            c.reply();
            c.command("EHLO client.example");
            Poll.until(Duration.ofSeconds(5), () -> server.activeConnections() == 1);
            server.close();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.activeConnections()).isZero();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), boundPort).close())
                .isInstanceOf(IOException.class);
        server.close(); // idempotent
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> config().withMaxConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 25, "bad host"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpLimits.defaults().withMaxRecipients(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpServer(config(), port).port()).isInstanceOf(IllegalStateException.class);
    }
}
