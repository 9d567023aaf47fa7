package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.postvault.net.Tls;
import dev.postvault.server.tls.SelfSignedTls;
import dev.postvault.smtp.client.TestDns;
import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound delivery to real remote MTAs: three Postfix instances on 127.0.0.2, .3 and .5 as the MX
 * hosts of three domains (found through unbound), STARTTLS under a private CA, an HTTPS server on
 * 127.0.0.4 serving MTA-STS policies under the same CA. Mail is submitted to Postvault as a user would
 * (swaks, Angus Mail) and checked where it lands: Postfix's Maildir, its log, the sender's INBOX.
 */
class RemoteMxTest {
    private static final String ALICE = "alice@one.test";

    @TempDir static Path shared;
    @TempDir Path dir;
    private static TestDns dns;
    private static TestCa ca;
    private static TestPostfix remote; // remote.test on 127.0.0.2, certificate for its name
    private static TestPostfix sts; // sts.test on 127.0.0.3, enforced MTA-STS, certificate for its name, no DSN
    private static TestPostfix badCert; // badcert.test on 127.0.0.5, enforced MTA-STS, certificate for another name
    private static HttpsServer policies;
    private static int smtpPort;

    private PostvaultServer server;
    private String alicePassword;
    private List<dev.postvault.mime.dkim.DkimKey> dkimKeys;

    @BeforeAll
    static void startRemotes() throws Exception {
        assumeTrue(TestPostfix.available(), "Postfix is not installed or the tests do not run as root (scripts/install-test-tools.sh)");
        ca = TestCa.create("Postvault Test CA");
        smtpPort = TestPostfix.freePort("127.0.0.2", "127.0.0.3", "127.0.0.5");
        remote = TestPostfix.start(shared.resolve("remote"), "127.0.0.2", smtpPort, "mx1.remote.test", "remote.test",
                Optional.of(ca.issue(shared, "mx1", "mx1.remote.test")), Map.of());
        // This one does not offer DSN (RFC 3461), so NOTIFY=SUCCESS cannot be passed on to it.
        sts = TestPostfix.start(shared.resolve("sts"), "127.0.0.3", smtpPort, "mx.sts.test", "sts.test",
                Optional.of(ca.issue(shared, "mx-sts", "mx.sts.test")), Map.of(), "smtpd_discard_ehlo_keywords = dsn");
        badCert = TestPostfix.start(shared.resolve("badcert"), "127.0.0.5", smtpPort, "mx.badcert.test", "badcert.test",
                Optional.of(ca.issue(shared, "mx-bad", "somewhere-else.test")), Map.of());

        policies = HttpsServer.create(new InetSocketAddress("127.0.0.4", 0), 0);
        policies.setHttpsConfigurator(new HttpsConfigurator(ca.issue(shared, "policy", "mta-sts.sts.test", "mta-sts.badcert.test").serverContext()));
        policies.createContext("/.well-known/mta-sts.txt", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            String domain = host.substring("mta-sts.".length());
            byte[] body = ("version: STSv1\r\nmode: enforce\r\nmx: mx." + domain + "\r\nmax_age: 86400\r\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        policies.start();

        dns = TestDns.start(shared, List.of(
                "remote.test. MX 10 mx1.remote.test.", "mx1.remote.test. A 127.0.0.2",
                "sts.test. MX 10 mx.sts.test.", "mx.sts.test. A 127.0.0.3",
                "_mta-sts.sts.test. TXT \"v=STSv1; id=20261208\"", "mta-sts.sts.test. A 127.0.0.4",
                "badcert.test. MX 10 mx.badcert.test.", "mx.badcert.test. A 127.0.0.5",
                "_mta-sts.badcert.test. TXT \"v=STSv1; id=1\"", "mta-sts.badcert.test. A 127.0.0.4"), "remote.test");
        assumeTrue(dns != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");
    }

    @AfterAll
    static void stopRemotes() {
        if (policies != null) policies.stop(0);
        for (TestPostfix p : new TestPostfix[] {remote, sts, badCert}) if (p != null) p.close();
        if (dns != null) dns.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    /** A Postvault server whose outbound delivery asks unbound and trusts the test CA. */
    private void startServer(Duration firstRetry, Duration maxAge) throws Exception {
        startServer(new OutboundSettings(dns.address, smtpPort, maxAge, 4, Duration.ofSeconds(10), Duration.ofHours(4))
                .withFirstRetry(firstRetry).withTrustedRoots(List.of(ca.root)).withPolicyPort(policies.getAddress().getPort()));
    }

    private void startServer(OutboundSettings outbound) throws Exception {
        server = PostvaultServer.start(new PostvaultServer.Config(dir.resolve("data"), InetAddress.getLoopbackAddress(), "localhost",
                PostvaultServer.Ports.ANY_FREE, false, ServerFixture.FAST, BackupSettings.DEFAULT, PostvaultServer.MaxConnections.DEFAULT,
                SubmissionSettings.DEFAULT, outbound));
        server.node().control().addDomain("one.test");
        dkimKeys = server.node().dkim().rotate("one.test");
        alicePassword = server.node().accounts().createAlias(ALICE, Optional.empty(), false).password();
    }

    @Test
    void swaksThroughSubmissionReachesPostfixUnchangedAndSignedTwice() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        String original = "Date: Tue, 08 Dec 2026 01:30:00 +0000\r\nMessage-ID: <swaks-1@one.test>\r\nFrom: Alice <alice@one.test>\r\n"
                + "To: Rob <rob@remote.test>\r\nSubject: Over STARTTLS to Postfix\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "\r\nA line.\r\n.A line that starts with a dot.\r\nTrailing spaces stay.   \r\n";
        Path data = dir.resolve("message.eml");
        Files.writeString(data, original);
        String out = new String(ExternalClients.run(List.of("swaks", "--server", "127.0.0.1:" + server.port("submission"), "--tls",
                "--auth", "PLAIN", "--auth-user", ALICE, "--auth-password", alicePassword, "--from", ALICE, "--to", "rob@remote.test",
                "--data", data.toString()), Map.of()), StandardCharsets.UTF_8);
        assertThat(out).contains("<~  235 2.7.0").contains("<~  250 2.0.0");

        byte[] arrived = awaitDelivered(remote, "<swaks-1@one.test>");
        String text = new String(arrived, StandardCharsets.UTF_8).replace("\r\n", "\n"); // Maildir files end lines in LF
        // What Postvault added (two signatures, its Received) and Postfix added sit above the original, which is intact.
        // (swaks ends its DATA with one more line end; sent by swaks straight to Postfix, the same blank line arrives.)
        String sent = original.replace("\r\n", "\n") + "\n";
        assertThat(text).endsWith(sent);
        String added = text.substring(0, text.length() - sent.length());
        assertThat(added).contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=one.test")
                .contains("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=one.test")
                .contains("Received: from authenticated.invalid")
                .containsPattern("by mx1\\.remote\\.test \\(Postfix\\) with ESMTPS"); // Postfix took it over TLS
        assertThat(ExternalClients.dkimpyVerify(dir, arrived, dkimKeys)).isEqualTo("True True");
    }

    @Test
    void aRecipientRefusedWith451IsRetriedAndDeliveredOnceWhenTheRemoteRecovers() throws Exception {
        startServer(Duration.ofSeconds(1), Duration.ofDays(5));
        remote.setAccess(Map.of("later@remote.test", "451 4.3.0 Try again later"));
        try {
            submit("<retry-1@one.test>", "later@remote.test", "Refused for a while");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(remote.log(), "451 4.3.0 <later@remote.test>") >= 2);
            assertThat(remote.delivered()).noneMatch(m -> contains(m, "<retry-1@one.test>"));
        } finally {
            remote.setAccess(Map.of());
        }
        awaitDelivered(remote, "<retry-1@one.test>");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.node().outbound().ids().isEmpty());
        Thread.sleep(2_000); // a few more passes of the delivery loop
        assertThat(remote.delivered().stream().filter(m -> contains(m, "<retry-1@one.test>")).count()).isEqualTo(1);
        assertThat(inbox()).isEmpty(); // no report: it was delivered
    }

    @Test
    void aRecipientRefusedWith550ComesBackAsAnRfc3464ReportWhileTheOtherIsDelivered() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        remote.setAccess(Map.of("gone@remote.test", "550 5.1.1 No such user here"));
        try {
            submit("<bounce-1@one.test>", "gone@remote.test, here@remote.test", "One of two is gone");
            awaitDelivered(remote, "<bounce-1@one.test>");
            MimeMessage report = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(this::inbox, l -> !l.isEmpty()).getFirst();
            // RFC 3464 §2: multipart/report; report-type=delivery-status, a human part, then message/delivery-status.
            assertThat(report.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
            MimeMultipart parts = (MimeMultipart) report.getContent();
            BodyPart status = parts.getBodyPart(1);
            assertThat(status.getContentType()).startsWith("message/delivery-status");
            String fields = new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(fields).contains("Reporting-MTA: dns; localhost")
                    .contains("Final-Recipient: rfc822; gone@remote.test\r\nAction: failed\r\nStatus: 5.1.1")
                    .contains("Diagnostic-Code: smtp; 550 5.1.1 <gone@remote.test>: Recipient address rejected: No such user here")
                    .doesNotContain("here@remote.test\r\nAction");
            assertThat(report.getHeader("Return-Path")[0]).isEqualTo("<>");
        } finally {
            remote.setAccess(Map.of());
        }
    }

    @Test
    void anEnforcedMtaStsPolicyIsFetchedCachedAndDeliveredUnderOverVerifiedTls() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        submit("<sts-1@one.test>", "sam@sts.test", "Under an enforced policy");
        awaitDelivered(sts, "<sts-1@one.test>");
        // Postfix saw TLS; that our side verified the certificate is what the wrong-name case below shows.
        assertThat(sts.log()).contains("TLS connection established from localhost[127.0.0.1]");
        var cached = server.node().control().mtaStsPolicy("sts.test").orElseThrow();
        assertThat(cached.id()).isEqualTo("20261208");
        assertThat(new String(cached.body(), StandardCharsets.US_ASCII)).contains("mode: enforce").contains("mx: mx.sts.test");
    }

    @Test
    void anEnforcedPolicyWithACertificateForAnotherNameIsNotDeliveredButRetriedThenBounced() throws Exception {
        startServer(Duration.ofSeconds(1), Duration.ofSeconds(4));
        submit("<bad-1@one.test>", "bea@badcert.test", "To a host with the wrong certificate");
        MimeMessage report = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(this::inbox, l -> !l.isEmpty()).getFirst();
        assertThat(badCert.delivered()).isEmpty();
        assertThat(count(badCert.log(), "connect from localhost[127.0.0.1]")).isGreaterThanOrEqualTo(2); // tried more than once
        MimeMultipart parts = (MimeMultipart) report.getContent();
        String fields = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(fields).contains("Final-Recipient: rfc822; bea@badcert.test\r\nAction: failed")
                .contains("MTA-STS: no MX host of the domain offered TLS with a valid certificate");
    }

    @Test
    void badInputOverSubmissionGetsClearCodesAndNothingButTheOneMessageReachesTheRemote() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        try (Raw c = new Raw(server.port("submissions"))) {
            c.login();

            // Sending as someone else.
            c.send("MAIL FROM:<rob@remote.test>");
            assertThat(c.expect(550)).contains("5.7.1");

            // SMTP smuggling: every end-of-data look-alike but CRLF.CRLF is content, and one message goes out.
            c.send("MAIL FROM:<" + ALICE + ">");
            c.expect(250);
            c.send("RCPT TO:<rob@remote.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            String smuggled = "MAIL FROM:<" + ALICE + ">%sRCPT TO:<victim@remote.test>%sDATA%sSmuggled%s";
            c.write("Message-ID: <smuggle-1@one.test>\r\nFrom: " + ALICE + "\r\nTo: rob@remote.test\r\nSubject: one message\r\n\r\n"
                    + "a\n.\n" + smuggled.formatted("\n", "\n", "\n", "\n") + ".\n"
                    + "b\r.\r" + smuggled.formatted("\r", "\r", "\r", "\r") + ".\r"
                    + "c\r\n.\n" + smuggled.formatted("\n", "\n", "\n", "\n")
                    + "d\n.\r\n" + smuggled.formatted("\r\n", "\r\n", "\r\n", "\r\n").replace("DATA\r\n", "DATA \r\n")
                    + "\r\n.\r\n");
            c.expect(250);
            c.send("NOOP");
            c.expect(250); // nothing left over in the stream: the session is in step

            // 1,000 recipients: the first 100 taken, every one after that refused; then nothing is sent.
            c.send("MAIL FROM:<" + ALICE + ">");
            c.expect(250);
            int taken = 0;
            for (int i = 0; i < 1000; i++) {
                c.send("RCPT TO:<many" + i + "@remote.test>");
                String r = c.reply();
                if (r.startsWith("250")) taken++;
                else assertThat(r).startsWith("452 4.5.3");
            }
            assertThat(taken).isEqualTo(100);
            c.send("RSET");
            c.expect(250);

            // Oversized: refused when declared, and when it is not, at the end of the data.
            c.send("MAIL FROM:<" + ALICE + "> SIZE=30000000");
            assertThat(c.expect(552)).contains("5.3.4");
            c.send("MAIL FROM:<" + ALICE + ">");
            c.expect(250);
            c.send("RCPT TO:<big@remote.test>");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.write("Message-ID: <big-1@one.test>\r\nFrom: " + ALICE + "\r\n\r\n");
            String line = "x".repeat(998) + "\r\n";
            for (int i = 0; i < 27_000; i++) c.write(line); // 27 MB, over the 25 MiB limit
            c.write(".\r\n");
            assertThat(c.expect(552)).contains("5.3.4");
            c.send("QUIT");
            c.expect(221);
        }
        byte[] arrived = awaitDelivered(remote, "<smuggle-1@one.test>");
        assertThat(new String(arrived, StandardCharsets.ISO_8859_1)).contains("Smuggled").contains("X-Original-To: rob@remote.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.node().outbound().ids().isEmpty());
        Thread.sleep(1_000);
        List<byte[]> all = remote.delivered();
        assertThat(all.stream().filter(m -> contains(m, "<smuggle-1@one.test>"))).hasSize(1);
        assertThat(all).noneMatch(m -> contains(m, "victim@remote.test\n") || contains(m, "X-Original-To: victim")
                || contains(m, "X-Original-To: many") || contains(m, "<big-1@one.test>"));
    }

    @Test
    void dsnRequestsAreHonouredPassedOnOrAnsweredAsRfc3461Asks() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        server.node().accounts().createAlias("bob@one.test", Optional.empty(), false);
        remote.setAccess(Map.of("gone@remote.test", "550 5.1.1 No such user here", "never@remote.test", "550 5.1.1 No such user here"));
        try {
            sendForDsn();
            checkDsnReports();
        } finally {
            remote.setAccess(Map.of());
        }
    }

    private void checkDsnReports() throws Exception {
        awaitDelivered(sts, "<dsn-2@one.test>");
        awaitDelivered(remote, "<dsn-2@one.test>");
        List<MimeMessage> reports = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::inbox, l -> l.size() >= 3);
        Thread.sleep(1_000);
        reports = inbox();
        assertThat(reports).hasSize(3);
        Map<String, String> bySubject = new java.util.HashMap<>();
        for (MimeMessage r : reports) {
            MimeMultipart parts = (MimeMultipart) r.getContent();
            String fields = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            var returned = new java.io.ByteArrayOutputStream();
            parts.getBodyPart(2).writeTo(returned);
            bySubject.put(r.getSubject(), fields + "\n--returned--\n" + returned.toString(StandardCharsets.UTF_8));
        }
        assertThat(bySubject.get("Undelivered mail returned to sender")).contains("Original-Envelope-Id: run+1")
                .contains("Final-Recipient: rfc822; gone@remote.test\r\nAction: failed\r\nStatus: 5.1.1")
                .doesNotContain("never@remote.test")
                .contains("Content-Type: message/rfc822").contains("The whole body comes back."); // RET=FULL
        assertThat(bySubject.get("Mail relayed to a server that sends no delivery reports"))
                .contains("Original-Recipient: rfc822; Sam@STS.test\r\nFinal-Recipient: rfc822; sam@sts.test\r\nAction: relayed\r\nStatus: 2.0.0")
                .doesNotContain("here@remote.test").contains("Content-Type: text/rfc822-headers").doesNotContain("Hello.");
        assertThat(bySubject.get("Successful mail delivery report")).contains("Final-Recipient: rfc822; bob@one.test\r\nAction: delivered\r\nStatus: 2.0.0");
        // Postfix took NOTIFY=SUCCESS for here@remote.test on: it writes the success notice itself.
        await().atMost(Duration.ofSeconds(10)).until(() -> remote.log().contains("sender delivery status notification"));
    }

    @Test
    void aRequireTlsMessageGoesNowhereItCannotBeVerifiedAndComesBackWith5730() throws Exception {
        startServer(Duration.ofMinutes(1), Duration.ofDays(5));
        try (Raw c = new Raw(server.port("submissions"))) {
            assertThat(c.login()).contains("REQUIRETLS");
            c.send("MAIL FROM:<" + ALICE + "> REQUIRETLS");
            c.expect(250);
            c.send("RCPT TO:<rob@remote.test>"); // no MTA-STS policy (and no DNSSEC): nothing vouches for its MX
            c.expect(250);
            c.send("RCPT TO:<sam@sts.test>"); // verified TLS under an enforced policy, but Postfix does not offer REQUIRETLS
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.write("Message-ID: <requiretls-1@one.test>\r\nFrom: " + ALICE + "\r\nSubject: only over verified TLS\r\n\r\nSecret.\r\n.\r\n");
            c.expect(250);
            c.send("QUIT");
            c.expect(221);
        }
        MimeMessage report = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::inbox, l -> !l.isEmpty()).getFirst();
        String fields = new String(((MimeMultipart) report.getContent()).getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(fields).contains("Final-Recipient: rfc822; rob@remote.test\r\nAction: failed\r\nStatus: 5.7.30")
                .contains("Final-Recipient: rfc822; sam@sts.test\r\nAction: failed\r\nStatus: 5.7.30")
                .contains("REQUIRETLS support required");
        assertThat(remote.delivered()).noneMatch(m -> contains(m, "<requiretls-1@one.test>"));
        assertThat(sts.delivered()).noneMatch(m -> contains(m, "<requiretls-1@one.test>"));
        assertThat(sts.log()).contains("TLS connection established"); // it got as far as verified TLS, then stopped
    }

    @Test
    void daneAuthenticatesMxHostsByTheirTlsaRecordsAndRefusesAMismatch() throws Exception {
        // A signed zone behind a validating unbound; Postfix on 127.0.0.8 with a certificate from the test CA.
        TestCa.Leaf leaf = ca.issue(dir, "mx-dane", "mx.good.dane.test", "mx.ta.dane.test");
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        String spki = java.util.HexFormat.of().formatHex(sha256.digest(leaf.certificate().getPublicKey().getEncoded()));
        String caHash = java.util.HexFormat.of().formatHex(sha256.digest(ca.root.getEncoded()));
        String port = String.valueOf(smtpPort);
        Path dnsDir = java.nio.file.Files.createDirectories(dir.resolve("signed"));
        TestDns signed = TestDns.startSigned(dnsDir, "dane.test", List.of(
                "good IN MX 10 mx.good", "mx.good IN A 127.0.0.8", "_" + port + "._tcp.mx.good IN TLSA 3 1 1 " + spki, // DANE-EE
                "ta IN MX 10 mx.ta", "mx.ta IN A 127.0.0.8", "_" + port + "._tcp.mx.ta IN TLSA 2 0 1 " + caHash, // DANE-TA
                "bad IN MX 10 mx.bad", "mx.bad IN A 127.0.0.8", "_" + port + "._tcp.mx.bad IN TLSA 3 1 1 " + "00".repeat(32)),
                "good.dane.test");
        assumeTrue(signed != null, "ldnsutils is not installed (scripts/install-test-tools.sh installs it)");
        TestPostfix daneMx = TestPostfix.start(dir.resolve("dane-mx"), "127.0.0.8", smtpPort, "mx.good.dane.test", "good.dane.test",
                Optional.of(leaf), Map.of(), "virtual_mailbox_domains = good.dane.test ta.dane.test bad.dane.test");
        try (signed; daneMx) {
            startServer(new OutboundSettings(signed.address, smtpPort, Duration.ofSeconds(4), 4, Duration.ofSeconds(10), Duration.ofHours(4))
                    .withFirstRetry(Duration.ofSeconds(1)).withDane(true));
            submit("<dane-good@one.test>", "gus@good.dane.test", "DANE-EE");
            submit("<dane-ta@one.test>", "tia@ta.dane.test", "DANE-TA");
            submit("<dane-bad@one.test>", "bo@bad.dane.test", "TLSA that matches nothing");
            awaitDelivered(daneMx, "<dane-good@one.test>");
            awaitDelivered(daneMx, "<dane-ta@one.test>");
            MimeMessage report = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                    .until(this::inbox, l -> !l.isEmpty()).getFirst();
            String fields = new String(((MimeMultipart) report.getContent()).getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(fields).contains("Final-Recipient: rfc822; bo@bad.dane.test\r\nAction: failed").contains("DANE");
            assertThat(daneMx.delivered()).noneMatch(m -> contains(m, "<dane-bad@one.test>"));
            assertThat(count(daneMx.log(), "TLS connection established from localhost[127.0.0.1]")).isGreaterThanOrEqualTo(2);
        }
    }

    /** Two submissions with DSN parameters, over a raw connection (no client library sends ORCPT). */
    private void sendForDsn() throws Exception {
        try (Raw c = new Raw(server.port("submissions"))) {
            assertThat(c.login()).contains("DSN");
            // 1. RET=FULL and an ENVID; one failure asked for by default, one with NOTIFY=NEVER.
            c.send("MAIL FROM:<" + ALICE + "> RET=FULL ENVID=run+2B1");
            c.expect(250);
            c.send("RCPT TO:<gone@remote.test>");
            c.expect(250);
            c.send("RCPT TO:<never@remote.test> NOTIFY=NEVER");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.write("Message-ID: <dsn-1@one.test>\r\nFrom: " + ALICE + "\r\nSubject: full return\r\n\r\nThe whole body comes back.\r\n.\r\n");
            c.expect(250);
            // 2. NOTIFY=SUCCESS to a server without DSN ("relayed"), to a mailbox here ("delivered"),
            //    and to Postfix on remote.test, which offers DSN and so takes the request on (no report from us).
            c.send("MAIL FROM:<" + ALICE + ">");
            c.expect(250);
            c.send("RCPT TO:<sam@sts.test> NOTIFY=SUCCESS ORCPT=rfc822;Sam@STS.test");
            c.expect(250);
            c.send("RCPT TO:<bob@one.test> NOTIFY=SUCCESS,FAILURE");
            c.expect(250);
            c.send("RCPT TO:<here@remote.test> NOTIFY=SUCCESS");
            c.expect(250);
            c.send("DATA");
            c.expect(354);
            c.write("Message-ID: <dsn-2@one.test>\r\nFrom: " + ALICE + "\r\nSubject: tell me it arrived\r\n\r\nHello.\r\n.\r\n");
            c.expect(250);
            c.send("QUIT");
            c.expect(221);
        }
    }

    /** A raw client over implicit TLS (465), trusting the server's own certificate. */
    private final class Raw implements AutoCloseable {
        private final javax.net.ssl.SSLSocket socket;
        private final java.io.BufferedReader in;
        private final java.io.OutputStream out;

        Raw(int port) throws Exception {
            var ctx = Tls.clientTrusting(List.of(SelfSignedTls.certificate(dir.resolve("data"), server.node().serverKey())));
            socket = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        void send(String line) throws java.io.IOException {
            write(line + "\r\n");
        }

        void write(String text) throws java.io.IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** One reply, its lines joined. */
        String reply() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            String l;
            do {
                l = in.readLine();
                if (l == null) throw new java.io.EOFException("connection closed");
                b.append(l).append('\n');
            } while (l.length() > 3 && l.charAt(3) == '-');
            return b.toString();
        }

        /** Greeting, EHLO and AUTH PLAIN as alice; the EHLO reply. */
        String login() throws java.io.IOException {
            expect(220);
            send("EHLO laptop.test");
            String ehlo = expect(250);
            send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + alicePassword).getBytes(StandardCharsets.UTF_8)));
            expect(235);
            return ehlo;
        }

        String expect(int code) throws java.io.IOException {
            String r = reply();
            assertThat(r).startsWith(String.valueOf(code));
            return r;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void tlsRequiredNoDeliversDespiteAnEnforcedPolicyTheCertificateFails() throws Exception {
        startServer(Duration.ofSeconds(1), Duration.ofSeconds(4));
        submit("<tls-optional@one.test>", "bea@badcert.test", "An alert that must get through", "TLS-Required: No\r\n");
        byte[] arrived = awaitDelivered(badCert, "<tls-optional@one.test>"); // RFC 8689 §5: the policy does not stop it
        assertThat(new String(arrived, StandardCharsets.ISO_8859_1)).contains("TLS-Required: No")
                .containsPattern("by mx\\.badcert\\.test \\(Postfix\\) with ESMTPS"); // still over STARTTLS
        assertThat(DomainSender.tlsNotRequired("Subject: x\r\ntls-required:\r\n  no\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(DomainSender.tlsNotRequired("Subject: TLS-Required: No\r\n\r\nTLS-Required: No\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    /** Submits a message from alice over 465 with Angus Mail, its bytes as given. */
    private void submit(String messageId, String to, String subject) throws Exception {
        submit(messageId, to, subject, "");
    }

    /** As above, with {@code extraHeader} (whole CRLF-terminated lines) in the header. */
    private void submit(String messageId, String to, String subject, String extraHeader) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.socketFactory",
                Tls.clientTrusting(List.of(SelfSignedTls.certificate(dir.resolve("data"), server.node().serverKey()))).getSocketFactory());
        Session s = Session.getInstance(p);
        String raw = "Date: Tue, 08 Dec 2026 01:30:00 +0000\r\nMessage-ID: " + messageId + "\r\nFrom: Alice <alice@one.test>\r\nTo: " + to
                + "\r\nSubject: " + subject + "\r\n" + extraHeader + "\r\nHello.\r\n";
        MimeMessage m = new MimeMessage(s, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        try (Transport t = s.getTransport("smtp")) {
            t.connect("127.0.0.1", server.port("submissions"), ALICE, alicePassword);
            t.sendMessage(m, InternetAddress.parse(to));
        }
    }

    /** Alice's INBOX over IMAPS. */
    private List<MimeMessage> inbox() throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.trust", "*");
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect("127.0.0.1", server.port("imaps"), ALICE, alicePassword);
        try (store) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<MimeMessage> out = new java.util.ArrayList<>();
            for (var m : inbox.getMessages()) out.add(new MimeMessage((MimeMessage) m));
            inbox.close(false);
            return out;
        }
    }

    /** The message with this Message-ID once it is in the remote's Maildir; on timeout, what the remote and the queue say. */
    private byte[] awaitDelivered(TestPostfix at, String messageId) throws Exception {
        try {
            return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> at.delivered().stream().filter(m -> contains(m, messageId)).findFirst(), java.util.Optional::isPresent).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder queue = new StringBuilder();
            for (String id : server.node().outbound().ids()) {
                server.node().outbound().find(id).ifPresent(q -> q.recipients().forEach(r -> queue.append(r.lastReply()).append('\n')));
            }
            throw new AssertionError(messageId + " did not arrive. Queue:\n" + queue + "Remote log:\n" + at.log(), e);
        }
    }

    private static boolean contains(byte[] message, String s) {
        return new String(message, StandardCharsets.ISO_8859_1).contains(s);
    }

    private static long count(String text, String s) {
        long n = 0;
        for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) n++;
        return n;
    }
}
