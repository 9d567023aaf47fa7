package dev.postvault.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.smtp.SmtpTestClient.Reply;
import dev.postvault.smtp.session.RejectionKind;
import dev.postvault.smtp.session.SmtpLimits;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transcripts over a real TCP socket against a recording port. */
class SmtpServerTranscriptTest {

    private RecordingPort port;
    private SmtpServer server;

    @BeforeEach
    void start() {
        port = RecordingPort.standard();
        SmtpLimits limits = SmtpLimits.defaults().withMaxMessageBytes(10_000).withMaxRecipients(3).withMaxBadCommands(5);
        server = new SmtpServer(SmtpServerConfig.plain(InetAddress.getLoopbackAddress(), 0, "mx.test").withLimits(limits), port);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmtpTestClient connect() throws Exception {
        SmtpTestClient client = new SmtpTestClient(server.port());
        Reply greeting = client.reply();
        assertThat(greeting.code()).isEqualTo(220);
        assertThat(greeting.text()).startsWith("mx.test ");
        return client;
    }

    private static void expect(Reply reply, int code, String enhanced) {
        assertThat(reply.code()).as(reply.text()).isEqualTo(code);
        assertThat(reply.enhanced()).as(reply.text()).isEqualTo(enhanced);
    }

    @Test
    void appendixD1TypicalTransaction() throws Exception {
        try (SmtpTestClient c = connect()) {
            Reply ehlo = c.command("EHLO bar.com");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).containsExactly("mx.test", "PIPELINING", "SIZE 10000", "8BITMIME", "SMTPUTF8",
                    "ENHANCEDSTATUSCODES", "CHUNKING", "HELP");
            expect(c.command("MAIL FROM:<Smith@bar.com>"), 250, "2.1.0");
            expect(c.command("RCPT TO:<Jones@foo.com>"), 250, "2.1.5");
            expect(c.command("RCPT TO:<Green@foo.com>"), 550, "5.1.1");
            expect(c.command("RCPT TO:<Brown@foo.com>"), 250, "2.1.5");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            // The RFC shows the text unstuffed; sent verbatim, its leading "..." loses one dot (§4.5.2).
            Reply done = c.command("Blah blah blah...\r\n...etc. etc. etc.\r\n.");
            expect(done, 250, "2.0.0");
            expect(c.command("QUIT"), 221, "2.0.0");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(port.deliveries).hasSize(1);
        RecordingPort.Delivery delivery = port.deliveries.getFirst();
        assertThat(delivery.transaction().reversePath()).contains("Smith@bar.com");
        assertThat(delivery.transaction().recipients()).containsExactly("Jones@foo.com", "Brown@foo.com");
        assertThat(new String(delivery.body(), StandardCharsets.US_ASCII))
                .isEqualTo("Blah blah blah...\r\n..etc. etc. etc.\r\n");
    }

    @Test
    void appendixD2AbortedTransaction() throws Exception {
        try (SmtpTestClient c = connect()) {
            assertThat(c.command("EHLO bar.com").code()).isEqualTo(250);
            expect(c.command("MAIL FROM:<Smith@bar.com>"), 250, "2.1.0");
            expect(c.command("RCPT TO:<Jones@foo.com>"), 250, "2.1.5");
            expect(c.command("RCPT TO:<Green@foo.com>"), 550, "5.1.1");
            expect(c.command("RSET"), 250, "2.0.0");
            expect(c.command("DATA"), 503, "5.5.1"); // the transaction is gone
            expect(c.command("QUIT"), 221, "2.0.0");
        }
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void appendixD3RelayIsRefused() throws Exception {
        // In D.3 foo.com relays for xyz.com; an inbound MX never relays: the port refuses foreign domains.
        try (SmtpTestClient c = connect()) {
            assertThat(c.command("EHLO foo.com").code()).isEqualTo(250);
            expect(c.command("MAIL FROM:<JQP@bar.com>"), 250, "2.1.0");
            expect(c.command("RCPT TO:<Jones@XYZ.COM>"), 550, "5.7.1");
            expect(c.command("DATA"), 554, "5.5.1"); // RFC 2920 §3.1: no valid recipients
            expect(c.command("QUIT"), 221, "2.0.0");
        }
        assertThat(port.checked).containsExactly("Jones@xyz.com");
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void happyPathWithTwoRecipientsAndTraceHeader() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<alice@elsewhere.example>");
            expect(c.command("RCPT TO:<bob@EXAMPLE.com>"), 250, "2.1.5");
            expect(c.command("RCPT TO:<carol@example.com>"), 250, "2.1.5");
            expect(c.command("RCPT TO:<bob@example.com>"), 250, "2.1.5"); // duplicate: delivered once
            c.command("DATA");
            Reply done = c.command("Subject: hi\r\n\r\nhello\r\n.");
            expect(done, 250, "2.0.0");
            RecordingPort.Delivery delivery = port.deliveries.getFirst();
            assertThat(done.text()).endsWith("id=" + delivery.transaction().id());
        }
        RecordingPort.Delivery delivery = port.deliveries.getFirst();
        assertThat(delivery.transaction().recipients()).containsExactly("bob@example.com", "carol@example.com");
        assertThat(delivery.transaction().heloName()).isEqualTo("client.example");
        assertThat(delivery.transaction().remoteIp()).isEqualTo("127.0.0.1");
        assertThat(delivery.transaction().tls()).isFalse();
        String text = delivery.text();
        assertThat(text).startsWith("Received: from client.example ([127.0.0.1])\r\n\tby mx.test with ESMTP id "
                + delivery.transaction().id() + ";\r\n\t");
        assertThat(text).endsWith("\r\nSubject: hi\r\n\r\nhello\r\n");
        assertThat(text).doesNotContain("bob@", "carol@", "alice@"); // no "for <...>" in the trace
    }

    @Test
    void pipelinedCommandsInOneWrite() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.send("EHLO client.example\r\nMAIL FROM:<>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<nobody@example.com>\r\n"
                    + "RCPT TO:<carol@example.com>\r\nDATA\r\n");
            assertThat(c.reply().code()).isEqualTo(250);
            expect(c.reply(), 250, "2.1.0");
            expect(c.reply(), 250, "2.1.5");
            expect(c.reply(), 550, "5.1.1");
            expect(c.reply(), 250, "2.1.5");
            assertThat(c.reply().code()).isEqualTo(354);
            c.send("pipelined body\r\n.\r\nRSET\r\nQUIT\r\n");
            expect(c.reply(), 250, "2.0.0");
            expect(c.reply(), 250, "2.0.0");
            expect(c.reply(), 221, "2.0.0");
        }
        assertThat(port.deliveries).singleElement().satisfies(d -> {
            assertThat(d.transaction().reversePath()).isEmpty();
            assertThat(d.transaction().recipients()).containsExactly("bob@example.com", "carol@example.com");
        });
    }

    @Test
    void dotStuffingRoundTrip() throws Exception {
        String body = "first\r\n.\r\n..two dots\r\n.leading\r\n. space\r\n...\r\nlast\r\n";
        StringBuilder stuffed = new StringBuilder();
        for (String line : body.split("\r\n")) {
            stuffed.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        deliver(stuffed.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(port.deliveries.getFirst().body(), StandardCharsets.US_ASCII)).isEqualTo(body);
    }

    @Test
    void eightBitBodyIsDeliveredByteForByte() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int line = 0; line < 20; line++) {
            for (int b = 0; b < 256; b++) {
                if (b != '\r' && b != '\n') {
                    body.write(b);
                }
            }
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("Grüße, 日本語\r\n".getBytes(StandardCharsets.UTF_8));
        deliver(body.toByteArray());
        assertThat(port.deliveries.getFirst().body()).isEqualTo(body.toByteArray());
    }

    private void deliver(byte[] stuffedBody) throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            expect(c.command("MAIL FROM:<a@b.example> BODY=8BITMIME"), 250, "2.1.0");
            c.command("RCPT TO:<bob@example.com>");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send(stuffedBody);
            expect(c.command("."), 250, "2.0.0");
        }
        assertThat(port.deliveries).hasSize(1);
    }

    @Test
    void bdatInSeveralChunks() throws Exception {
        byte[] part1 = "Subject: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] part2 = "\r\n.\r\nnot a terminator\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] part3 = {0, (byte) 0xff, '.', '\r', '\n'};
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<bob@example.com>");
            c.send("BDAT " + part1.length + "\r\n");
            c.send(part1);
            expect(c.reply(), 250, "2.0.0");
            // second chunk and the LAST chunk pipelined in one write
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.writeBytes(("BDAT " + part2.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            rest.writeBytes(part2);
            rest.writeBytes(("BDAT " + part3.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
            rest.writeBytes(part3);
            c.send(rest.toByteArray());
            expect(c.reply(), 250, "2.0.0");
            expect(c.reply(), 250, "2.0.0");
            expect(c.command("DATA"), 503, "5.5.1"); // transaction complete
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(part1);
        expected.writeBytes(part2);
        expected.writeBytes(part3);
        assertThat(port.deliveries).hasSize(1);
        assertThat(port.deliveries.getFirst().body()).isEqualTo(expected.toByteArray());
    }

    @Test
    void bdatOutOfSequenceStillConsumesItsChunk() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.send("BDAT 12 LAST\r\nQUIT\r\nQUIT\r\n"); // the 12 octets "QUIT\r\nQUIT\r\n" are chunk data
            expect(c.reply(), 503, "5.5.1");
            expect(c.command("NOOP"), 250, "2.0.0");
        }
    }

    @Test
    void messageOverTheSizeLimitIsRefusedAndNothingDelivered() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            expect(c.command("MAIL FROM:<a@b.example> SIZE=10001"), 552, "5.3.4"); // RFC 1870: refused up front
            expect(c.command("MAIL FROM:<a@b.example> SIZE=100"), 250, "2.1.0"); // client under-declares
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            c.send(("x".repeat(99) + "\r\n").repeat(120)); // 12,120 octets
            expect(c.command("."), 552, "5.3.4");
            expect(c.command("NOOP"), 250, "2.0.0"); // still in step after the discarded body
            // BDAT: the limit applies across chunks
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<bob@example.com>");
            c.send("BDAT 6000\r\n" + "y".repeat(6000));
            expect(c.reply(), 250, "2.0.0");
            c.send("BDAT 6000 LAST\r\n" + "y".repeat(6000));
            expect(c.reply(), 552, "5.3.4");
            expect(c.command("RCPT TO:<bob@example.com>"), 503, "5.5.1");
        }
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void tooManyRecipients() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            for (String r : List.of("bob", "carol", "jones")) {
                String domain = r.equals("jones") ? "foo.com" : "example.com";
                expect(c.command("RCPT TO:<" + r + "@" + domain + ">"), 250, "2.1.5");
            }
            expect(c.command("RCPT TO:<brown@foo.com>"), 452, "4.5.3");
            c.command("DATA");
            expect(c.command("x\r\n."), 250, "2.0.0");
        }
        assertThat(port.deliveries.getFirst().transaction().recipients()).hasSize(3)
                .doesNotContain("brown@foo.com");
    }

    @Test
    void temporaryDeliveryFailureIs451AndNothingAcknowledged() throws Exception {
        port.failDeliveriesWith(RejectionKind.TEMPORARY);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("RCPT TO:<carol@example.com>");
            c.command("DATA");
            expect(c.command("important\r\n."), 451, "4.3.0");
            expect(c.command("RCPT TO:<bob@example.com>"), 503, "5.5.1"); // the transaction is over
        }
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void permanentDeliveryFailureUsesTheMapping() throws Exception {
        port.failDeliveriesWith(RejectionKind.TOO_BIG);
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            expect(c.command("x\r\n."), 552, "5.3.4");
        }
    }

    @Test
    void clientVanishingMidDataDeliversNothing() throws Exception {
        SmtpTestClient c = connect();
        c.command("EHLO client.example");
        c.command("MAIL FROM:<a@b.example>");
        c.command("RCPT TO:<bob@example.com>");
        c.command("DATA");
        c.send("Subject: half\r\n\r\nthe rest never comes\r\n");
        c.close();
        Poll.until(Duration.ofSeconds(5), () -> server.activeConnections() == 0);
        assertThat(port.deliveries).isEmpty();
    }

    @Test
    void overlongCommandLineIs500AndTheSessionContinues() throws Exception {
        try (SmtpTestClient c = connect()) {
            expect(c.command("NOOP " + "x".repeat(3000)), 500, "5.5.2");
            assertThat(c.command("EHLO client.example").code()).isEqualTo(250);
            expect(c.command("NOOP"), 250, "2.0.0");
        }
    }

    @Test
    void sequencingAndSyntaxErrors() throws Exception {
        try (SmtpTestClient c = connect()) {
            expect(c.command("MAIL FROM:<a@b.example>"), 503, "5.5.1"); // RFC 5321 §4.1.4: EHLO first
            expect(c.command("FROB"), 500, "5.5.1");
            assertThat(c.command("HELO client.example").lines()).containsExactly("mx.test");
            expect(c.command("MAIL FROM:<a@b.example> SIZE=10"), 555, "5.5.4"); // no extensions after HELO
            expect(c.command("MAIL FROM:<a@b.example>"), 250, "2.1.0");
            expect(c.command("MAIL FROM:<a@b.example>"), 503, "5.5.1"); // nested MAIL
            expect(c.command("RCPT TO:bob@example.com"), 501, "5.1.3");
            expect(c.command("VRFY bob"), 252, "2.5.0");
            assertThat(c.command("HELP").code()).isEqualTo(214);
            expect(c.command("NOOP"), 250, "2.0.0"); // five protocol errors so far: the limit, not past it
        }
        assertThat(port.checked).isEmpty(); // VRFY never consults the port
    }

    @Test
    void tooManyBadCommandsDropsTheClient() throws Exception {
        try (SmtpTestClient c = connect()) {
            for (int i = 0; i < 5; i++) {
                expect(c.command("BOGUS " + i), 500, "5.5.1");
            }
            expect(c.command("BOGUS again"), 421, "4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void smtpUtf8Recipients() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@b.example>");
            expect(c.command("RCPT TO:<jöran@example.com>"), 553, "5.6.7"); // RFC 6531 §3.5
            c.command("RSET");
            expect(c.command("MAIL FROM:<ä@b.example> SMTPUTF8"), 250, "2.1.0");
            expect(c.command("RCPT TO:<jöran@example.com>"), 250, "2.1.5");
            c.command("DATA");
            expect(c.command("Subject: ünïcode\r\n\r\nx\r\n."), 250, "2.0.0");
        }
        RecordingPort.Delivery delivery = port.deliveries.getFirst();
        assertThat(delivery.transaction().smtpUtf8()).isTrue();
        assertThat(delivery.transaction().recipients()).containsExactly("jöran@example.com");
        assertThat(delivery.transaction().reversePath()).isEqualTo(Optional.of("ä@b.example"));
        assertThat(delivery.text()).contains(" with UTF8SMTP id ").contains("Subject: ünïcode");
    }

    @Test
    void quotedLocalPartAndPostmasterReachThePortAsParsed() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.command("EHLO client.example");
            c.command("MAIL FROM:<>");
            expect(c.command("RCPT TO:<\"john doe\"@Example.COM>"), 250, "2.1.5");
            expect(c.command("RCPT TO:<Postmaster>"), 250, "2.1.5");
        }
        assertThat(port.checked).containsExactly("\"john doe\"@example.com", "Postmaster@mx.test");
    }
}
