package dev.postvault.server;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.net.Tls;
import dev.postvault.server.tls.SelfSignedTls;
import dev.postvault.store.mailbox.MailboxLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A real server on loopback with free ports and a cheap Argon2 cost, plus a client TLS context trusting it. */
public final class ServerFixture implements AutoCloseable {
    /**
     * Outbound delivery that asks a resolver on a loopback port where nothing listens: tests never send
     * DNS queries off the machine, and mail queued for other domains just waits.
     */
    public static final OutboundSettings NO_DNS = new OutboundSettings(new java.net.InetSocketAddress("127.0.0.1", 1), 25,
            Duration.ofDays(5), 4, Duration.ofSeconds(2), Duration.ofHours(4));

    public static final Node.Settings FAST = new Node.Settings(new Argon2Params(64, 1, 1), Duration.ofMinutes(5), MailboxLimits.DEFAULT);

    public final Path dataDir;
    public final PostvaultServer server;

    public ServerFixture(Path dataDir) {
        this(dataDir, false);
    }

    /**
     * With {@code plaintextAuthOnLoopback}, IMAP and POP3 take a password on their plain ports from
     * loopback, as {@code serve --plaintext-auth-on-loopback} does.
     */
    public ServerFixture(Path dataDir, boolean plaintextAuthOnLoopback) {
        this.dataDir = dataDir;
        this.server = PostvaultServer.start(new PostvaultServer.Config(dataDir, InetAddress.getLoopbackAddress(), "localhost",
                PostvaultServer.Ports.ANY_FREE, plaintextAuthOnLoopback, FAST, BackupSettings.DEFAULT, PostvaultServer.MaxConnections.DEFAULT,
                SubmissionSettings.DEFAULT, NO_DNS));
    }

    public Node node() {
        return server.node();
    }

    /** Trusts exactly this server's self-signed certificate, as a careful client would after pinning it. */
    public SSLContext clientTls() throws Exception {
        return Tls.clientTrusting(java.util.List.of(SelfSignedTls.certificate(dataDir, node().serverKey())));
    }

    /** Every message of the store's INBOX, whole, in UID order; closes the store. */
    public static java.util.List<String> inboxMessages(jakarta.mail.Store store) throws Exception {
        try {
            jakarta.mail.Folder inbox = store.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_ONLY);
            java.util.List<String> out = new java.util.ArrayList<>();
            for (jakarta.mail.Message msg : inbox.getMessages()) {
                var bytes = new java.io.ByteArrayOutputStream();
                msg.writeTo(bytes);
                out.add(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    /** A connected IMAPS store (Angus Mail) of {@code address}, trusting this server's certificate. */
    public jakarta.mail.Store imaps(String address, String password) throws Exception {
        var p = new java.util.Properties();
        p.put("mail.imaps.host", "127.0.0.1");
        p.put("mail.imaps.port", String.valueOf(server.port("imaps")));
        p.put("mail.imaps.ssl.socketFactory", clientTls().getSocketFactory());
        p.put("mail.imaps.ssl.checkserveridentity", "true");
        jakarta.mail.Store store = jakarta.mail.Session.getInstance(p).getStore("imaps");
        store.connect(address, password);
        return store;
    }

    @Override
    public void close() {
        server.close();
    }
}
