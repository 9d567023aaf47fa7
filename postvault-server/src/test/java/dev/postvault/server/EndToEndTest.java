package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mail sent with a real SMTP client library (Angus Mail) over STARTTLS arrives, sealed, and is read
 * back with a real IMAP client library over implicit TLS, byte for byte; and nothing under the data
 * directory or in the logs ever shows its subject, body or recipient.
 */
class EndToEndTest {
    private static final String ADDRESS = "hello@privacy-test.example";
    private static final String SUBJECT = "Quarterly merger plans zx81";
    private static final String BODY_MARKER = "the vault combination is 31-7-42 qq";

    @TempDir Path dir;
    private ServerFixture fx;
    private String password;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ((Logger) LoggerFactory.getLogger("dev.postvault")).setLevel(ch.qos.logback.classic.Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        fx = new ServerFixture(dir);
        fx.node().control().addDomain("privacy-test.example");
        password = fx.node().accounts().createAlias(ADDRESS, Optional.empty(), false).password();
    }

    @AfterEach
    void stop() {
        fx.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void mailSentOverSmtpIsReadBackOverImapByteForByteAndNeverStoredInClear() throws Exception {
        byte[] attachment = new byte[300_000];
        new Random(3).nextBytes(attachment);
        MimeMessage sent = message(attachment);
        byte[] sentBytes = bytes(sent);

        send(sent);
        // Offline: the message waits sealed in the spool.
        assertThat(fx.node().spool().pending(aliasId())).hasSize(1);
        assertNothingInClear();

        try (Store store = imapStore()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            Message got = inbox.getMessage(1);
            assertThat(got.getSubject()).isEqualTo(SUBJECT);
            assertThat(got.getAllRecipients()).extracting(Object::toString).containsExactly(ADDRESS);
            Multipart parts = (Multipart) got.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("plans.bin");
            assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(attachment);

            byte[] received = bytes(got);
            // The MX prepends Return-Path (RFC 5321 §4.4) and its Received trace header; everything after
            // them is what the client sent.
            assertThat(new String(received, 0, 60, StandardCharsets.US_ASCII)).startsWith("Return-Path: <alice@sender.example>\r\nReceived: ");
            byte[] tail = Arrays.copyOfRange(received, received.length - sentBytes.length, received.length);
            assertThat(tail).isEqualTo(sentBytes);
            inbox.close(false);
        }
        assertThat(fx.node().spool().pending(aliasId())).isEmpty();
        assertNothingInClear();
        fx.close();
        assertNothingInClear(); // after the WAL is checkpointed into the mailbox file too
        fx = new ServerFixture(dir);
    }

    @Test
    void aLiveSessionDrainsNewMailAtOnce() throws Exception {
        try (Store store = imapStore()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isZero();
            send(message(new byte[10]));
            // The logged-in session drains the spool as soon as the MX has sealed the message...
            await().atMost(Duration.ofSeconds(5)).until(() -> fx.node().spool().pending(aliasId()).isEmpty());
            // ...and NOOP (what getMessageCount sends) reports it.
            await().atMost(Duration.ofSeconds(5)).until(() -> inbox.getMessageCount() == 1);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo(SUBJECT);
            assertThat(inbox.getMessage(1).isSet(jakarta.mail.Flags.Flag.SEEN)).isFalse();
            bytes(inbox.getMessage(1)); // FETCH BODY[] in a read-write folder sets \Seen
            assertThat(inbox.getMessage(1).isSet(jakarta.mail.Flags.Flag.SEEN)).isTrue();
        }
    }

    @Test
    void theMxRefusesUnknownRecipientsAndRelayingAtRcpt() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", fx.server.port("smtp"));
             var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
             var out = socket.getOutputStream()) {
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            out.write(("MAIL FROM:<a@sender.example>\r\nRCPT TO:<nobody@privacy-test.example>\r\nRCPT TO:<victim@elsewhere.example>\r\n"
                    + "RCPT TO:<" + ADDRESS.toUpperCase() + ">\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("250 ");
            assertThat(in.readLine()).startsWith("550 5.1.1");
            assertThat(in.readLine()).startsWith("550 5.7.1");
            assertThat(in.readLine()).startsWith("250 "); // addresses are case-insensitive
            assertThat(in.readLine()).startsWith("221 ");
        }
        assertThat(fx.node().spool().pending(aliasId())).isEmpty();
    }

    private MimeMessage message(byte[] attachment) throws Exception {
        Session s = Session.getInstance(new Properties());
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("alice@sender.example", "Alice"));
        m.setRecipients(Message.RecipientType.TO, ADDRESS);
        m.setSubject(SUBJECT, "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hello,\r\n" + BODY_MARKER + "\r\n.leading dot line\r\nünïcödé\r\n", "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(attachment, "application/octet-stream");
        file.setFileName("plans.bin");
        m.setContent(new MimeMultipart(text, file));
        m.saveChanges();
        return m;
    }

    private void send(MimeMessage m) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(fx.server.port("smtp")));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", fx.clientTls().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        Session s = Session.getInstance(p);
        try (Transport t = s.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    private Store imapStore() throws Exception {
        return fx.imaps(ADDRESS, password);
    }

    private String aliasId() {
        return fx.node().control().alias(ADDRESS).orElseThrow().id();
    }

    private static byte[] bytes(Message m) throws Exception {
        var out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    /** Every file the server wrote, searched for the secrets; no file name may name the alias. */
    private void assertNothingInClear() throws IOException {
        List<String> secrets = List.of(SUBJECT, "merger plans", BODY_MARKER, "vault combination", ADDRESS, "privacy-test", password);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                assertThat(f.toString()).doesNotContain("hello").doesNotContain("privacy-test");
                if (!Files.isRegularFile(f)) continue;
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s must not contain %s", f, secret).doesNotContain(secret);
                    assertThat(content).as("%s must not contain UTF-16 %s", f, secret)
                            .doesNotContain(new String(secret.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1));
                }
            }
        }
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            for (String secret : secrets) assertThat(line).as("log line").doesNotContain(secret);
        }
    }
}
