package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.net.Tls;
import dev.postvault.server.tls.SelfSignedTls;
import dev.postvault.smtp.client.TestDns;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Postvault servers and a real DNS server on loopback: alice@one.test submits on server A, whose
 * outbound delivery looks up two.test's MX in unbound and hands the mail to server B's MX on
 * 127.0.0.2; a recipient B does not know and a domain with a null MX come back to alice as a
 * delivery status notification.
 */
class OutboundDeliveryTest {
    @TempDir Path dir;
    private TestDns dns;
    private PostvaultServer a;
    private PostvaultServer b;
    private String alicePassword;
    private String bobPassword;

    @BeforeEach
    void start() throws Exception {
        dns = TestDns.start(dir, List.of("two.test. MX 10 mx.two.test.", "mx.two.test. A 127.0.0.2", "nomail.test. MX 0 .",
                "slow.test. MX 10 mx.slow.test.", "mx.slow.test. A 127.0.0.9"), "two.test"); // nothing listens on 127.0.0.9
        assumeTrue(dns != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");

        b = PostvaultServer.start(new PostvaultServer.Config(dir.resolve("b"), InetAddress.getByName("127.0.0.2"), "mx.two.test",
                PostvaultServer.Ports.ANY_FREE, false, ServerFixture.FAST, BackupSettings.DEFAULT, PostvaultServer.MaxConnections.DEFAULT,
                SubmissionSettings.DEFAULT, OutboundSettings.defaults()));
        b.node().control().addDomain("two.test");
        bobPassword = b.node().accounts().createAlias("bob@two.test", Optional.empty(), false).password();

        var outbound = new OutboundSettings(dns.address, b.port("smtp"),
                Duration.ofDays(5), 4, Duration.ofSeconds(10), Duration.ofSeconds(2));
        a = PostvaultServer.start(new PostvaultServer.Config(dir.resolve("a"), InetAddress.getLoopbackAddress(), "localhost",
                PostvaultServer.Ports.ANY_FREE, false, ServerFixture.FAST, BackupSettings.DEFAULT, PostvaultServer.MaxConnections.DEFAULT,
                SubmissionSettings.DEFAULT, outbound));
        a.node().control().addDomain("one.test");
        a.node().dkim().rotate("one.test");
        alicePassword = a.node().accounts().createAlias("alice@one.test", Optional.empty(), false).password();
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (dns != null) dns.close();
    }

    @Test
    void submittedMailReachesTheOtherServerAndFailuresComeBackAsAReport() throws Exception {
        submitAsAlice("bob@two.test, nobody@two.test, someone@nomail.test", "Across servers",
                "From one Postvault to another.\n.\n..and dots survive.\n");

        List<String> atBob = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> inbox(b, dir.resolve("b"), "bob@two.test", bobPassword), l -> !l.isEmpty());
        String received = atBob.getFirst();
        assertThat(received).contains("Subject: Across servers").contains("From one Postvault to another.\r\n.\r\n..and dots survive.")
                .contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=one.test")
                .contains("by mx.two.test with ESMTPS"); // B's MX received it over STARTTLS

        List<String> atAlice = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> inbox(a, dir.resolve("a"), "alice@one.test", alicePassword), l -> !l.isEmpty());
        String report = atAlice.getFirst();
        assertThat(report).startsWith("Return-Path: <>").contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("Final-Recipient: rfc822; nobody@two.test\r\nAction: failed\r\nStatus: 5.1.1")
                .contains("Final-Recipient: rfc822; someone@nomail.test\r\nAction: failed\r\nStatus: 5.1.10")
                .contains("Subject: Across servers") // the original's header, in text/rfc822-headers
                .doesNotContain("bob@two.test\r\nAction");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node().outbound().ids().isEmpty());
    }

    @Test
    void aSenderIsToldOnceWhenDeliveryIsDelayedAndTheMessageStaysQueued() throws Exception {
        submitAsAlice("carol@slow.test", "To a server that is down", "hello\n");
        List<String> atAlice = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> inbox(a, dir.resolve("a"), "alice@one.test", alicePassword), l -> !l.isEmpty());
        assertThat(atAlice.getFirst()).contains("Subject: Delayed mail (still being retried)")
                .contains("Final-Recipient: rfc822; carol@slow.test\r\nAction: delayed\r\nStatus: 4.4.1")
                .contains("Will-Retry-Until: ");
        Thread.sleep(3_000); // several more passes of the delivery loop: no second notice
        assertThat(inbox(a, dir.resolve("a"), "alice@one.test", alicePassword)).hasSize(1);
        assertThat(a.node().outbound().ids()).hasSize(1);
        assertThat(a.node().outbound().find(a.node().outbound().ids().getFirst()).orElseThrow().delayReported()).isTrue();
    }

    /** Sends a message from alice@one.test through server A's submission port (465) with Angus Mail. */
    private void submitAsAlice(String to, String subject, String text) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.socketFactory", clientTls(a, dir.resolve("a")).getSocketFactory());
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("alice@one.test", "Alice"));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText(text, "UTF-8");
        m.saveChanges();
        try (Transport t = s.getTransport("smtp")) {
            t.connect("127.0.0.1", a.port("submissions"), "alice@one.test", alicePassword);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    private static javax.net.ssl.SSLContext clientTls(PostvaultServer server, Path dataDir) throws Exception {
        return Tls.clientTrusting(List.of(SelfSignedTls.certificate(dataDir, server.node().serverKey())));
    }

    /** Every message in the alias's INBOX on {@code server}, read over IMAPS. */
    private static List<String> inbox(PostvaultServer server, Path dataDir, String address, String password) throws Exception {
        Properties p = new Properties();
        // Reading the mailbox back; which certificate is trusted is not this test's subject (B's names mx.two.test).
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect(dataDir.endsWith("b") ? "127.0.0.2" : "127.0.0.1", server.port("imaps"), address, password);
        return ServerFixture.inboxMessages(store);
    }
}
