package dev.postvault.imap;

import dev.postvault.imap.session.ImapContext;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real store, a real IMAP listener on loopback (plain+STARTTLS and implicit TLS), and one alias. */
public final class ImapHarness implements AutoCloseable {
    public static final String USER = "hello@example.org";
    public static final String PASSWORD = "correct horse battery staple";

    public final StoreFixture store;
    public final ImapServer plain;
    public final ImapServer tls;
    public final SSLContext clientTls;
    public final Unlocked user;

    public ImapHarness(Path dir, boolean plaintextOnLoopback) throws Exception {
        store = new StoreFixture(dir.resolve("data"));
        store.control.addDomain("example.org");
        store.accounts.createAlias(USER, Optional.of(PASSWORD), false);
        user = store.accounts.login(USER, PASSWORD);
        Path ks = keyStore();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        ImapConfig config = ImapConfig.defaults("imap.test").withPlaintextAuthOnLoopback(plaintextOnLoopback)
                .withFailedLoginDelay(Duration.ofMillis(10));
        var ctx = new ImapContext(this.store.accounts, this.store.mailboxes, this.store.spool, this.store.bus, config, Optional.of(serverTls));
        plain = new ImapServer(ctx, InetAddress.getLoopbackAddress(), 0, false);
        plain.start();
        tls = new ImapServer(ctx, InetAddress.getLoopbackAddress(), 0, true);
        tls.start();
    }

    private static Path keyStore;

    /** A self-signed key pair made once per test JVM with the JDK's keytool. */
    private static synchronized Path keyStore() throws Exception {
        if (keyStore != null) return keyStore;
        Path ks = Files.createTempDirectory("imap-tls").resolve("tls.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "imap", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(),
                "-storepass", "changeit", "-storetype", "PKCS12").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed");
        keyStore = ks;
        return ks;
    }

    /** Appends a message directly through the store (as APPEND or delivery would). */
    public void append(String folder, byte[] raw) {
        try (Mailbox m = store.mailboxes.open(user.alias().id(), user.dek())) {
            m.append(folder, raw, MessageFlags.NONE, Instant.parse("2026-03-04T05:06:07Z"));
        }
    }

    /** Delivers a message the way the MX does: sealed into the spool. */
    public void deliver(byte[] raw) {
        store.spool.enqueue(user.alias(), new ByteArrayInputStream(raw), Instant.now());
    }

    /** A client logged in over implicit TLS. */
    public ImapClient login() throws Exception {
        ImapClient c = ImapClient.tls(tls.port(), clientTls);
        c.readResponse();
        var r = c.command("LOGIN " + USER + " \"" + PASSWORD + "\"");
        if (!ImapClient.last(r).contains("OK")) throw new IllegalStateException("login failed: " + r);
        return c;
    }

    public static byte[] sample(String subject) {
        return TestMessages.simple(subject, "body of " + subject);
    }

    @Override
    public void close() {
        plain.close();
        tls.close();
        store.close();
    }
}
