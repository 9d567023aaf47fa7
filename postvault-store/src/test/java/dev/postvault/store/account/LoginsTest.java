package dev.postvault.store.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.store.StoreException;
import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one login path: throttle, password, mailbox with its quota, and the spool kept drained. */
class LoginsTest {
    private static final String ADDRESS = "hello@example.org";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir Path dir;

    @Test
    void aLoginOpensTheMailboxWithMailThatWaitedAndKeepsDeliveringIntoIt() throws Exception {
        try (var fx = new StoreFixture(dir)) {
            Unlocked user = fx.loggedIn(ADDRESS, PASSWORD);
            fx.deliver(user, TestMessages.simple("waiting", "sealed while nobody was logged in"));
            Logins logins = new Logins(fx.accounts, fx.mailboxes, fx.spool, fx.bus, throttle(30));
            try (OpenMailbox open = logins.open(ADDRESS, PASSWORD, InetAddress.getLoopbackAddress())) {
                assertThat(open.alias().id()).isEqualTo(user.alias().id());
                assertThat(open.mailbox().quotaBytes()).isEqualTo(user.alias().quotaBytes());
                assertThat(open.mailbox().status("INBOX").messages()).isEqualTo(1);
                fx.deliver(user, TestMessages.simple("live", "arrives while the session is open"));
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (open.mailbox().status("INBOX").messages() < 2 && System.nanoTime() < until) Thread.sleep(20);
                assertThat(open.mailbox().status("INBOX").messages()).as("drained by the feed, no new login").isEqualTo(2);
            }
            assertThat(fx.spool.pending(user.alias().id())).isEmpty();
        }
    }

    @Test
    void wrongPasswordsAreThrottledPerNetworkAndThenRefusedUnchecked() throws Exception {
        try (var fx = new StoreFixture(dir)) {
            fx.loggedIn(ADDRESS, PASSWORD);
            Logins logins = new Logins(fx.accounts, fx.mailboxes, fx.spool, fx.bus, throttle(2));
            InetAddress guesser = InetAddress.getByName("192.0.2.7");
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> logins.open(ADDRESS, "wrong password " + PASSWORD, guesser))
                        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED));
            }
            long before = fx.accounts.passwordDerivations();
            // Refused before the password is looked at, so even the right one is turned away for now.
            assertThatThrownBy(() -> logins.open(ADDRESS, PASSWORD, guesser))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.THROTTLED));
            assertThat(fx.accounts.passwordDerivations()).isEqualTo(before);
            // Another network is not held back by this one.
            try (OpenMailbox open = logins.open(ADDRESS, PASSWORD, InetAddress.getLoopbackAddress())) {
                assertThat(open.mailbox().folders()).isNotEmpty();
            }
        }
    }

    private static LoginThrottle throttle(int maxFailures) {
        return new LoginThrottle(new LoginThrottle.Policy(Duration.ofMinutes(10), Duration.ofMillis(5), Duration.ofMillis(20), maxFailures, 100),
                Clock.systemUTC());
    }
}
