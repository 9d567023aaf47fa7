package dev.postvault.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.account.LoginThrottle;
import dev.postvault.pop3.Pop3Client;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.pop3.Pop3Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No plaintext passwords, STLS done right, throttling across connections, the autologout timer. */
class Pop3SecurityTest {
    @TempDir
    Path dir;

    @Test
    void passwordsAreRefusedBeforeTlsAndAcceptedAfterStls() throws Exception {
        try (var h = new Pop3Harness(dir, false); var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            assertThat(c.command("CAPA")).startsWith("+OK");
            assertThat(c.readMultiLine()).contains("STLS").doesNotContain("USER", "SASL PLAIN");
            assertThat(c.command("USER " + Pop3Harness.USER)).startsWith("-ERR [AUTH] Plaintext authentication is not allowed");
            assertThat(c.command("AUTH PLAIN AGhlbGxvAHg=")).startsWith("-ERR [AUTH] Plaintext authentication is not allowed");
            assertThat(c.command("STLS")).isEqualTo("+OK Begin TLS negotiation");
            c.startTls(h.clientTls);
            assertThat(c.command("CAPA")).startsWith("+OK");
            assertThat(c.readMultiLine()).contains("USER", "SASL PLAIN").doesNotContain("STLS");
            assertThat(c.command("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(c.command("USER " + Pop3Harness.USER)).isEqualTo("+OK Send PASS");
            assertThat(c.command("PASS " + Pop3Harness.PASSWORD)).startsWith("+OK Logged in");
        }
    }

    @Test
    void implicitTlsAcceptsPasswords() throws Exception {
        try (var h = new Pop3Harness(dir, false); var c = Pop3Client.tls(h.tls.port(), h.clientTls)) {
            assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK Logged in");
        }
    }

    @Test
    void commandsPipelinedBehindStlsAreDroppedNotRunUnderTls() throws Exception {
        // RFC 2595 §4 and CVE-2011-0411: plaintext pipelined behind STLS must not be executed inside TLS.
        try (var h = new Pop3Harness(dir, false); var c = new Pop3Client(h.plain.port())) {
            c.readLine();
            // One write, so the injected commands are already in the server's buffer when STLS runs.
            c.send("STLS\r\nCAPA\r\nUSER " + Pop3Harness.USER + "\r\nQUIT");
            assertThat(c.readLine()).isEqualTo("+OK Begin TLS negotiation");
            c.startTls(h.clientTls); // an SSLException here fails the test: the handshake must not see the injected bytes
            c.send("NOOP");
            c.send("QUIT");
            List<String> underTls = new ArrayList<>();
            for (String line; (line = c.readLine()) != null; ) underTls.add(line);
            // Had CAPA, USER or QUIT run, their answers ("+OK Capability list follows", "+OK Send PASS",
            // "+OK pop3.test signing off" and the close) would come before ours.
            assertThat(underTls).containsExactly("-ERR NOOP is not allowed before login", "+OK pop3.test signing off");
        }
    }

    @Test
    void failedLoginsAreThrottledAcrossConnections() throws Exception {
        var policy = new LoginThrottle.Policy(Duration.ofMinutes(1), Duration.ofMillis(1), Duration.ofMillis(5), 4, 100);
        try (var h = new Pop3Harness(dir, Pop3Config.defaults("pop3.test").withPlaintextAuthOnLoopback(true), policy)) {
            for (int conn = 0; conn < 2; conn++) {
                try (var c = new Pop3Client(h.plain.port())) {
                    assertThat(c.login(Pop3Harness.USER, "wrong")).isEqualTo("-ERR [AUTH] Authentication failed");
                    c.command("USER " + Pop3Harness.USER);
                    assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] Authentication failed");
                }
            }
            try (var c = new Pop3Client(h.plain.port())) {
                // Four failures from this network: even the right password is not checked now.
                assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).isEqualTo("-ERR [SYS/TEMP] Too many failed logins from your network; try again later");
            }
        }
    }

    @Test
    void anIdleSessionIsLoggedOutWithoutUpdate() throws Exception {
        var config = Pop3Config.defaults("pop3.test").withPlaintextAuthOnLoopback(true).withIdleTimeout(Duration.ofSeconds(2));
        try (var h = new Pop3Harness(dir, config, LoginThrottle.Policy.DEFAULT)) {
            h.append(dev.postvault.store.TestMessages.simple("keep", "me"));
            try (var c = new Pop3Client(h.plain.port())) {
                assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK");
                assertThat(c.command("DELE 1")).startsWith("+OK");
                Thread.sleep(3_000); // the timeout is 2 s: long enough that a loaded machine does not trip it between commands
                assertThat(c.readLine()).isEqualTo("-ERR Autologout; idle for too long");
                assertThat(c.readLine()).isNull();
            }
            try (var c = new Pop3Client(h.plain.port())) {
                assertThat(c.login(Pop3Harness.USER, Pop3Harness.PASSWORD)).startsWith("+OK Logged in; 1 messages");
            }
        }
    }
}
