package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-listener connection cap is a setting, not a constant (HelpAndConfigTest: flag, environment, file). */
class ConnectionCapTest {
    @TempDir Path tmp;

    @Test
    void eachListenerServesTheConfiguredNumberAndTurnsTheNextAway() throws Exception {
        var config = new PostvaultServer.Config(tmp.resolve("data"), InetAddress.getLoopbackAddress(), "localhost",
                PostvaultServer.Ports.ANY_FREE, false, ServerFixture.FAST, BackupSettings.DEFAULT,
                new PostvaultServer.MaxConnections(2, 2, 2));
        try (PostvaultServer server = PostvaultServer.start(config)) {
            assertThat(greetings(server.port("imap"), 3)).satisfiesExactly(
                    g -> assertThat(g).startsWith("* OK"),
                    g -> assertThat(g).startsWith("* OK"),
                    g -> assertThat(g).isEqualTo("* BYE Too many connections, try again later"));
            assertThat(greetings(server.port("pop3"), 3).getLast()).startsWith("-ERR [SYS/TEMP]");
            assertThat(greetings(server.port("smtp"), 3).getLast()).startsWith("421");
        }
    }

    /** Opens {@code n} connections at once and returns each one's first line. */
    private static List<String> greetings(int port, int n) throws Exception {
        List<Socket> open = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(10_000);
                open.add(s);
                lines.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
        } finally {
            for (Socket s : open) s.close();
        }
        return lines;
    }
}
