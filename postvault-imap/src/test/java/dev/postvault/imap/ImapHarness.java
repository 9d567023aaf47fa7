package dev.postvault.imap;

import dev.postvault.imap.session.ImapContext;
import dev.postvault.store.account.LoginThrottle;
import dev.postvault.net.TcpListener;
import dev.postvault.net.TestTls;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A real store, a real IMAP listener on loopback (plain+STARTTLS and implicit TLS), and one alias. */
public final class ImapHarness implements AutoCloseable {
    public static final String USER = "hello@example.org";
    public static final String PASSWORD = "correct horse battery staple";

    public final StoreFixture store;
    public final TcpListener plain;
    public final TcpListener tls;
    public final SSLContext clientTls;
    public final Unlocked user;

    public ImapHarness(Path dir, boolean plaintextOnLoopback) throws Exception {
        this(dir, plaintextOnLoopback, ImapConfig.defaults("imap.test"));
    }

    public ImapHarness(Path dir, boolean plaintextOnLoopback, ImapConfig baseConfig) throws Exception {
        store = new StoreFixture(dir.resolve("data"));
        user = store.loggedIn(USER, PASSWORD);
        TestTls testTls = TestTls.get();
        clientTls = testTls.client;
        ImapConfig config = baseConfig.withPlaintextAuthOnLoopback(plaintextOnLoopback);
        var throttle = new LoginThrottle(new LoginThrottle.Policy(Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(40), 1000, 100),
                Clock.systemUTC());
        var logins = new dev.postvault.store.account.Logins(store.accounts, store.mailboxes, store.spool, store.bus, throttle);
        var ctx = new ImapContext(logins, config, Optional.of(testTls.server));
        plain = ImapServer.listener(ctx, InetAddress.getLoopbackAddress(), 0, false);
        plain.start();
        tls = ImapServer.listener(ctx, InetAddress.getLoopbackAddress(), 0, true);
        tls.start();
    }

    /** Appends a message directly through the store (as APPEND or delivery would). */
    public void append(String folder, byte[] raw) {
        store.append(user, folder, raw);
    }

    /** Delivers a message the way the MX does: sealed into the spool. */
    public void deliver(byte[] raw) {
        store.deliver(user, raw);
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
