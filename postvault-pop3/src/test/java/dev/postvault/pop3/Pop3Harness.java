package dev.postvault.pop3;

import dev.postvault.store.account.LoginThrottle;
import dev.postvault.net.TcpListener;
import dev.postvault.net.TestTls;
import dev.postvault.pop3.session.MaildropLocks;
import dev.postvault.pop3.session.Pop3Context;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A real encrypted store, real POP3 listeners on loopback (plain+STLS and implicit TLS), and one alias. */
public final class Pop3Harness implements AutoCloseable {
    public static final String USER = "hello@example.org";
    public static final String PASSWORD = "correct horse battery staple";

    public final StoreFixture store;
    public final TcpListener plain;
    public final TcpListener tls;
    public final SSLContext clientTls;
    public final Unlocked user;
    public final LoginThrottle throttle;

    public Pop3Harness(Path dir, boolean plaintextOnLoopback) throws Exception {
        this(dir, Pop3Config.defaults("pop3.test").withPlaintextAuthOnLoopback(plaintextOnLoopback),
                new LoginThrottle.Policy(Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(40), 1000, 100));
    }

    public Pop3Harness(Path dir, Pop3Config config, LoginThrottle.Policy throttlePolicy) throws Exception {
        store = new StoreFixture(dir.resolve("data"));
        user = store.loggedIn(USER, PASSWORD);
        TestTls testTls = TestTls.get();
        clientTls = testTls.client;
        throttle = new LoginThrottle(throttlePolicy, Clock.systemUTC());
        var logins = new dev.postvault.store.account.Logins(store.accounts, store.mailboxes, store.spool, store.bus, throttle);
        var ctx = new Pop3Context(logins, new MaildropLocks(), config, Optional.of(testTls.server));
        plain = Pop3Server.listener(ctx, InetAddress.getLoopbackAddress(), 0, false);
        plain.start();
        tls = Pop3Server.listener(ctx, InetAddress.getLoopbackAddress(), 0, true);
        tls.start();
    }

    /** Appends a message directly through the store (as IMAP APPEND would). */
    public void append(byte[] raw) {
        store.append(user, "INBOX", raw);
    }

    /** Delivers a message the way the MX does: sealed into the spool until the next login. */
    public void deliver(byte[] raw) {
        store.deliver(user, raw);
    }

    public Mailbox open() {
        return store.mailboxes.open(user.alias().id(), user.dek());
    }

    @Override
    public void close() {
        plain.close();
        tls.close();
        store.close();
    }
}
