package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.smtp.SmtpTestClient.Reply;
import dev.postvault.smtp.session.DeliveryException;
import dev.postvault.smtp.session.Principal;
import dev.postvault.smtp.session.RecipientDecision;
import dev.postvault.smtp.session.Role;
import dev.postvault.smtp.session.SubmissionPort;
import dev.postvault.smtp.session.Transaction;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AUTH (RFC 4954) and the submission rules (RFC 6409) over real TCP and TLS, against a port that
 * knows one login. What the store does with a message is tested with the server (SubmissionTest).
 */
class SubmissionTranscriptTest {
    private static final String USER = "alice@example.com";
    private static final String PASSWORD = "correct horse battery";

    /** Knows one login; records deliveries and the logins it was asked for. */
    static final class OneLogin implements SubmissionPort {
        final List<Transaction> delivered = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();

        @Override
        public Login authenticate(String user, String password, InetAddress client) {
            attempts.add(user);
            return user.equals(USER) && password.equals(PASSWORD)
                    ? new Login.Success(new Principal("alias-1", Set.of(USER)))
                    : new Login.Failed();
        }

        @Override
        public java.util.Optional<dev.postvault.smtp.session.RejectionKind> admit(Principal principal) {
            return delivered.size() >= 2 ? java.util.Optional.of(dev.postvault.smtp.session.RejectionKind.RATE_LIMITED) : java.util.Optional.empty();
        }

        @Override
        public RecipientDecision checkRecipient(Principal principal, String address) {
            return RecipientDecision.accept();
        }

        @Override
        public void deliver(Principal principal, Transaction transaction, byte[] message) throws DeliveryException {
            delivered.add(transaction);
        }
    }

    private final OneLogin port = new OneLogin();
    private SmtpServer server;

    private SmtpTestClient start(boolean implicitTls, boolean plaintextOnLoopback) throws Exception {
        TestTls tls = TestTls.get();
        SmtpServerConfig config = SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "submit.test");
        config = implicitTls ? config.withImplicitTls(tls.serverContext) : config.withStartTls(tls.serverContext);
        server = new SmtpServer(config, new Role.Submission(port, plaintextOnLoopback, false));
        server.start();
        SmtpTestClient c = implicitTls ? SmtpTestClient.implicitTls(server.port(), tls.clientContext) : new SmtpTestClient(server.port());
        assertThat(c.reply().code()).isEqualTo(220);
        return c;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void expect(Reply reply, int code, String enhanced) {
        assertThat(reply.code()).as(reply.text()).isEqualTo(code);
        assertThat(reply.enhanced()).as(reply.text()).isEqualTo(enhanced);
    }

    @Test
    void plainWithAnInitialResponseThenMailFromItsOwnAddress() throws Exception {
        try (SmtpTestClient c = start(true, false)) {
            assertThat(c.command("EHLO laptop.example").lines()).contains("AUTH PLAIN LOGIN", "DSN");
            expect(c.command("MAIL FROM:<" + USER + ">"), 530, "5.7.0"); // RFC 4954 §6
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 235, "2.7.0");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 503, "5.5.1"); // once per session
            expect(c.command("MAIL FROM:<someone@example.com>"), 550, "5.7.1");
            expect(c.command("MAIL FROM:<>"), 550, "5.7.1");
            expect(c.command("MAIL FROM:<ALICE@Example.com> AUTH=<>"), 250, "2.1.0"); // RFC 4954 §5
            expect(c.command("RCPT TO:<bob@elsewhere.example>"), 250, "2.1.5");
            expect(c.command("DATA"), 354, "");
            expect(c.command("From: " + USER + "\r\n\r\nhello\r\n."), 250, "2.0.0");
            expect(c.command("MAIL FROM:<" + USER + "> RET=FULL ENVID=e+2B1"), 250, "2.1.0"); // RFC 3461
            expect(c.command("RCPT TO:<bob@elsewhere.example> NOTIFY=SUCCESS ORCPT=rfc822;Bob@Elsewhere.example"), 250, "2.1.5");
            expect(c.command("RCPT TO:<carol@elsewhere.example>"), 250, "2.1.5");
            expect(c.command("DATA"), 354, "");
            expect(c.command("From: " + USER + "\r\n\r\nagain\r\n."), 250, "2.0.0");
            expect(c.command("MAIL FROM:<" + USER + ">"), 450, "4.7.1"); // the port's sending limit
        }
        assertThat(port.delivered).hasSize(2);
        assertThat(port.delivered.getFirst().dsn()).isEqualTo(Transaction.Dsn.NONE);
        Transaction.Dsn dsn = port.delivered.get(1).dsn();
        assertThat(dsn.ret()).hasValue(dev.postvault.smtp.codec.DsnParameters.Ret.FULL);
        assertThat(dsn.envelopeId()).hasValue("e+1");
        assertThat(dsn.of("bob@elsewhere.example").notifyOn()).hasValue(Set.of(dev.postvault.smtp.codec.DsnParameters.Notify.SUCCESS));
        assertThat(dsn.of("bob@elsewhere.example").originalRecipient()).hasValue("rfc822;Bob@Elsewhere.example");
        assertThat(dsn.of("carol@elsewhere.example").any()).isFalse();
    }

    @Test
    void plainWithAChallengeAndLoginStepByStep() throws Exception {
        try (SmtpTestClient c = start(true, false)) {
            c.command("EHLO laptop.example");
            Reply challenge = c.command("AUTH PLAIN");
            assertThat(challenge.code()).isEqualTo(334);
            assertThat(challenge.lines()).containsExactly("");
            expect(c.command(b64("\0" + USER + "\0" + PASSWORD)), 235, "2.7.0");
        }
        try (SmtpTestClient c = SmtpTestClient.implicitTls(server.port(), TestTls.get().clientContext)) {
            c.reply();
            c.command("EHLO laptop.example");
            Reply user = c.command("AUTH LOGIN");
            assertThat(user.code()).isEqualTo(334);
            assertThat(new String(Base64.getDecoder().decode(user.lines().getFirst()), StandardCharsets.US_ASCII)).isEqualTo("Username:");
            Reply pass = c.command(b64(USER));
            assertThat(new String(Base64.getDecoder().decode(pass.lines().getFirst()), StandardCharsets.US_ASCII)).isEqualTo("Password:");
            expect(c.command(b64(PASSWORD)), 235, "2.7.0");
        }
    }

    @Test
    void cancelledMalformedUnknownAndThreeWrongPasswordsEndTheConnection() throws Exception {
        try (SmtpTestClient c = start(true, false)) {
            c.command("EHLO laptop.example");
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            expect(c.command("*"), 501, "5.0.0"); // RFC 4954 §4: the client cancelled
            assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
            expect(c.command("not base64!"), 501, "5.5.2");
            expect(c.command("AUTH CRAM-MD5"), 504, "5.5.4");
            // RFC 4954 §4: a response line may be 12,288 octets; a longer one is refused, the session goes on.
            assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
            expect(c.command("A".repeat(20_000)), 501, "5.5.2");
            assertThat(port.attempts).isEmpty();
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 235, "2.7.0"); // and the session goes on
        }
        try (SmtpTestClient c = SmtpTestClient.implicitTls(server.port(), TestTls.get().clientContext)) {
            c.reply();
            c.command("EHLO laptop.example");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong")), 535, "5.7.8");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong")), 535, "5.7.8");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong")), 421, "4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(port.delivered).isEmpty();
    }

    @Test
    void onAPlainConnectionAuthWaitsForTlsUnlessLoopbackIsAllowed() throws Exception {
        try (SmtpTestClient c = start(false, false)) {
            assertThat(c.command("EHLO laptop.example").lines()).contains("STARTTLS").doesNotContain("AUTH PLAIN LOGIN");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 538, "5.7.11");
            assertThat(port.attempts).isEmpty(); // the password never reached the store
            expect(c.command("STARTTLS"), 220, "2.0.0");
            c.startTls(TestTls.get().clientContext);
            assertThat(c.command("EHLO laptop.example").lines()).contains("AUTH PLAIN LOGIN", "REQUIRETLS").doesNotContain("STARTTLS");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 235, "2.7.0");
            expect(c.command("MAIL FROM:<" + USER + "> REQUIRETLS"), 250, "2.1.0"); // RFC 8689 §3, under TLS
            expect(c.command("RCPT TO:<bob@elsewhere.example>"), 250, "2.1.5");
            expect(c.command("DATA"), 354, "");
            expect(c.command("From: " + USER + "\r\n\r\nonly over TLS\r\n."), 250, "2.0.0");
        }
        assertThat(port.delivered.getLast().requireTls()).isTrue();
        server.close();
        try (SmtpTestClient c = start(false, true)) {
            // Plain loopback: AUTH allowed by configuration, but REQUIRETLS is neither offered nor taken.
            assertThat(c.command("EHLO laptop.example").lines()).contains("AUTH PLAIN LOGIN", "DSN").doesNotContain("REQUIRETLS");
            expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 235, "2.7.0");
            expect(c.command("MAIL FROM:<" + USER + "> REQUIRETLS"), 555, "5.5.4");
        }
    }

    @Test
    void theMxNeitherOffersNorTakesAuth() throws Exception {
        try (SmtpServer mx = new SmtpServer(SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test")
                .withStartTls(TestTls.get().serverContext), RecordingPort.standard())) {
            mx.start();
            try (SmtpTestClient c = new SmtpTestClient(mx.port())) {
                c.reply();
                assertThat(c.command("EHLO relay.example").lines()).noneMatch(l -> l.startsWith("AUTH"));
                expect(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)), 502, "5.5.1");
                expect(c.command("MAIL FROM:<a@b.c> AUTH=<>"), 555, "5.5.4"); // RFC 4954 §5: AUTH= only where offered
                assertThat(c.command("EHLO relay.example").lines()).doesNotContain("DSN");
                expect(c.command("MAIL FROM:<a@b.c> RET=HDRS"), 555, "5.5.4"); // RFC 3461 §4: only where DSN is offered
                expect(c.command("MAIL FROM:<a@b.c>"), 250, "2.1.0");
                expect(c.command("RCPT TO:<user@mx.test> NOTIFY=NEVER"), 555, "5.5.4");
            }
        }
    }
}
