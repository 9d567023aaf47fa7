package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
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
 * Submission (RFC 6409, RFC 8314) with real clients: Angus Mail over 587 with STARTTLS, curl and neomutt (batch mode) over 465, CPython's
 * smtplib over 465 with TLS from the first byte; the mail read back over IMAP.
 */
class SubmissionTest {
    private static final String ALICE = "alice@submit.example";
    private static final String BOB = "bob@submit.example";

    @TempDir Path dir;
    private ServerFixture fx;
    private String alicePassword;
    private String bobPassword;

    @BeforeEach
    void start() {
        fx = new ServerFixture(dir.resolve("data"));
        fx.node().control().addDomain("submit.example");
        alicePassword = fx.node().accounts().createAlias(ALICE, Optional.empty(), false).password();
        bobPassword = fx.node().accounts().createAlias(BOB, Optional.empty(), false).password();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void angusMailSendsOverStartTlsToALocalAliasWhoReadsItOverImap() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(fx.server.port("submission")));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", fx.clientTls().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(ALICE, "Alice"));
        m.setRecipients(Message.RecipientType.TO, BOB);
        m.setSubject("Lunch on Friday?");
        m.setText("Shall we try the new place on the corner?\n", "UTF-8");
        m.saveChanges();
        try (Transport t = s.getTransport("smtp")) {
            t.connect(ALICE, alicePassword);
            t.sendMessage(m, m.getAllRecipients());
        }

        String received = inboxOf(BOB, bobPassword).getFirst();
        assertThat(received).contains("Subject: Lunch on Friday?").contains("Shall we try the new place");
        // RFC 3848: ESMTPSA = ESMTP with TLS and AUTH; the client's address is not written (privacy).
        assertThat(received).contains("with ESMTPSA id").doesNotContain("127.0.0.1").startsWith("Return-Path: <" + ALICE + ">");
    }

    private static final String SMTPLIB = """
            import smtplib, ssl, sys
            port, cafile, user, password, other_password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
            ctx = ssl.create_default_context(cafile=cafile)
            def session():
                s = smtplib.SMTP_SSL("localhost", port, context=ctx, timeout=20)
                s.ehlo("laptop.example")
                return s
            def attempt(name, fn):
                try:
                    fn()
                    print(name, "ok")
                except smtplib.SMTPAuthenticationError as e:
                    print(name, e.smtp_code, e.smtp_error.decode()[:5])
                except smtplib.SMTPRecipientsRefused as e:
                    (code, text), = e.recipients.values()
                    print(name, code, text.decode()[:5])
                except smtplib.SMTPResponseException as e:
                    print(name, e.smtp_code, e.smtp_error.decode()[:5])
            s = session()
            print("auth offered", s.has_extn("auth"), s.esmtp_features.get("auth", "").strip())
            attempt("wrong password", lambda: s.login(user, password + "x"))
            s.quit()
            s = session()
            attempt("mail before auth", lambda: s.sendmail(user, ["bob@submit.example"], b"From: " + user.encode() + b"\\r\\n\\r\\nhi\\r\\n"))
            s.quit()
            s = session()
            s.login(user, password)
            bare = b"From: Alice <" + user.encode() + b">\\r\\nTo: bob@submit.example\\r\\nSubject: no date, no id\\r\\n\\r\\nbody line\\r\\n"
            attempt("bare message", lambda: s.sendmail(user, ["bob@submit.example"], bare))
            attempt("other envelope sender", lambda: s.sendmail("bob@submit.example", ["bob@submit.example"], bare))
            forged = b"From: Bob <bob@submit.example>\\r\\nSubject: forged\\r\\n\\r\\nx\\r\\n"
            attempt("other From header", lambda: s.sendmail(user, ["bob@submit.example"], forged))
            twice = b"From: " + user.encode() + b"\\r\\nFrom: bob@submit.example\\r\\n\\r\\nx\\r\\n"
            attempt("two From headers", lambda: s.sendmail(user, ["bob@submit.example"], twice))
            attempt("no From header", lambda: s.sendmail(user, ["bob@submit.example"], b"Subject: x\\r\\n\\r\\nx\\r\\n"))
            attempt("unknown local", lambda: s.sendmail(user, ["nobody@submit.example"], bare))
            attempt("other domain", lambda: s.sendmail(user, ["someone@elsewhere.example"], bare))
            s.quit()
            """;

    @Test
    void curlAndNeomuttSendOverImplicitTlsAsTheirUsersWouldConfigureThem() throws Exception {
        assumeTrue(ExternalClients.onPath("curl") && ExternalClients.onPath("neomutt"), "curl or neomutt not installed");
        Path ca = ExternalClients.caFile(fx, dir);
        int port = fx.server.port("submissions");
        Path m = java.nio.file.Files.writeString(dir.resolve("curl.eml"),
                "From: Alice <" + ALICE + ">\r\nTo: " + BOB + "\r\nSubject: by curl\r\n\r\nSent with curl.\r\n");
        ExternalClients.run(List.of("curl", "-sS", "--url", "smtps://localhost:" + port, "--resolve", "localhost:" + port + ":127.0.0.1",
                "--cacert", ca.toString(), "--mail-from", ALICE, "--mail-rcpt", BOB, "--upload-file", m.toString(),
                "--user", ALICE + ":" + alicePassword));
        Path muttrc = java.nio.file.Files.writeString(dir.resolve("muttrc"), """
                set from = "Alice <%s>"
                set smtp_url = "smtps://%s@localhost:%d/"
                set smtp_pass = "%s"
                set ssl_ca_certificates_file = "%s"
                set ssl_force_tls = yes
                set record = ""
                set copy = no
                set use_from = yes
                """.formatted(ALICE, ALICE.replace("@", "%40"), port, alicePassword, ca));
        Path body = java.nio.file.Files.writeString(dir.resolve("body.txt"), "Sent with neomutt in batch mode.\n");
        // Batch mode: neomutt sends what it reads from standard input, with no terminal.
        ExternalClients.run(List.of("sh", "-c", "exec neomutt -n -F \"$0\" -s 'by neomutt' -- \"$1\" < \"$2\"",
                muttrc.toString(), BOB, body.toString()));
        List<String> inbox = inboxOf(BOB, bobPassword);
        assertThat(inbox).hasSize(2);
        assertThat(inbox).anySatisfy(x -> assertThat(x).contains("Subject: by curl").contains("Sent with curl."));
        assertThat(inbox).anySatisfy(x -> assertThat(x).contains("Subject: by neomutt").contains("Sent with neomutt in batch mode.")
                .containsPattern("Message-I[Dd]: <"));
        assertThat(inbox).allSatisfy(x -> assertThat(x).contains("with ESMTPSA id").doesNotContain("127.0.0.1"));
    }

    @Test
    void smtplibOverImplicitTlsIsHeldToItsOwnAddressAndGetsDateAndMessageIdAdded() throws Exception {
        Path ca = ExternalClients.caFile(fx, dir);
        String out = ExternalClients.run(List.of("python3", "-c", SMTPLIB, String.valueOf(fx.server.port("submissions")),
                ca.toString(), ALICE, alicePassword, bobPassword));
        assertThat(out.lines().toList()).containsExactly(
                "auth offered True PLAIN LOGIN",
                "wrong password 535 5.7.8",
                "mail before auth 530 5.7.0",
                "bare message ok",
                "other envelope sender 550 5.7.1",
                "other From header 550 5.7.1",
                "two From headers 550 5.7.1",
                "no From header 550 5.6.0",
                "unknown local 550 5.1.1",
                "other domain ok"); // queued for delivery to its MX

        List<String> inbox = inboxOf(BOB, bobPassword);
        assertThat(inbox).hasSize(1); // only the bare message was accepted
        String m = inbox.getFirst();
        // The client's EHLO name and address are withheld from the Received header (privacy).
        assertThat(m).contains("Received: from authenticated.invalid\r\n\tby localhost with ESMTPSA id ").doesNotContain("laptop.example");
        assertThat(m).contains("Subject: no date, no id").containsPattern("\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n")
                .containsPattern("\r\nMessage-ID: <[0-9a-z]{24}@submit\\.example>\r\n");
    }

    @Test
    void mailFromADomainWithKeysCarriesRsaAndEd25519SignaturesThatDkimpyVerifies() throws Exception {
        var keys = fx.node().dkim().rotate("submit.example");
        byte[] note = ("From: Alice <" + ALICE + ">\r\nTo: " + BOB + "\r\nSubject: signed\r\n\r\nplease sign me  \r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(sendRaw(ALICE, note)).isEqualTo("250");
        String stored = inboxOf(BOB, bobPassword).getFirst();
        assertThat(stored).contains("a=rsa-sha256; c=relaxed/relaxed; d=submit.example; s=" + keys.get(0).selector())
                .contains("a=ed25519-sha256; c=relaxed/relaxed; d=submit.example; s=" + keys.get(1).selector());
        assertThat(ExternalClients.dkimpyVerify(dir, stored.getBytes(StandardCharsets.UTF_8), keys)).isEqualTo("True True");
    }

    @Test
    void anAddressTheAdministratorAllowsMaySendOnceAllowed() throws Exception {
        String aliceId = fx.node().control().alias(ALICE).orElseThrow().id();
        byte[] team = ("From: Team <team@submit.example>\r\nTo: " + BOB + "\r\nSubject: from the team\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(sendRaw("team@submit.example", team)).isEqualTo("550");
        fx.node().control().allowSendAs(aliceId, "team@submit.example");
        assertThat(sendRaw("team@submit.example", team)).isEqualTo("250");
        assertThat(inboxOf(BOB, bobPassword).getFirst()).contains("Subject: from the team");
    }

    /** Sends {@code message} as ALICE over 465 with Angus Mail; the reply code to MAIL or the end of data. */
    private String sendRaw(String envelopeFrom, byte[] message) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.socketFactory", fx.clientTls().getSocketFactory());
        p.put("mail.smtp.from", envelopeFrom);
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s, new java.io.ByteArrayInputStream(message));
        try (Transport t = s.getTransport("smtp")) {
            t.connect("127.0.0.1", fx.server.port("submissions"), ALICE, alicePassword);
            t.sendMessage(m, new jakarta.mail.Address[] {new InternetAddress(BOB)});
            return "250";
        } catch (org.eclipse.angus.mail.smtp.SMTPSenderFailedException e) {
            return String.valueOf(e.getReturnCode());
        } catch (org.eclipse.angus.mail.smtp.SMTPSendFailedException e) {
            return String.valueOf(e.getReturnCode());
        }
    }

    @Test
    void withoutTlsAuthIsNotOfferedAndRefused() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", fx.server.port("submission"))) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO laptop.example\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String> ehlo = new java.util.ArrayList<>();
            String line;
            do {
                line = in.readLine();
                ehlo.add(line);
            } while (line.charAt(3) == '-');
            assertThat(ehlo).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
            out.write(("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + alicePassword)
                    .getBytes(StandardCharsets.UTF_8)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("538 5.7.11 ");
            out.write("MAIL FROM:<alice@submit.example>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("530 5.7.0 ");
        }
    }

    /** Every message in {@code address}'s INBOX, whole, read over IMAPS. */
    private List<String> inboxOf(String address, String password) throws Exception {
        return await().atMost(Duration.ofSeconds(10)).until(() -> ServerFixture.inboxMessages(fx.imaps(address, password)), l -> !l.isEmpty());
    }
}
