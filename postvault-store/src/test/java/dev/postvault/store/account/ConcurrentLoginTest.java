package dev.postvault.store.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client opening several connections at once costs one Argon2id derivation, not one per connection. */
class ConcurrentLoginTest {
    @Test
    void simultaneousLoginsOfOneAliasDeriveOnce(@TempDir Path dir) throws Exception {
        try (var fx = new StoreFixture(dir.resolve("data"), Duration.ofMinutes(5))) {
            fx.control.addDomain("example.org");
            fx.accounts.createAlias("hello@example.org", Optional.of("correct horse battery staple"), false);
            fx.accounts.createAlias("other@example.org", Optional.of("another long password"), false);
            long before = fx.accounts.passwordDerivations();
            var start = new CountDownLatch(1);
            List<Future<String>> logins = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    logins.add(pool.submit(() -> {
                        start.await();
                        return fx.accounts.login("hello@example.org", "correct horse battery staple").alias().id();
                    }));
                }
                start.countDown();
                for (var f : logins) assertThat(f.get()).isNotEmpty();
            }
            assertThat(fx.accounts.passwordDerivations() - before).isEqualTo(1);
            // A wrong password is still checked in full, every time, and caches nothing.
            for (int i = 0; i < 2; i++) {
                try {
                    fx.accounts.login("hello@example.org", "not the password at all");
                } catch (dev.postvault.store.StoreException expected) {
                    assertThat(expected.kind()).isEqualTo(dev.postvault.store.StoreException.Kind.AUTHENTICATION_FAILED);
                }
            }
            fx.accounts.login("other@example.org", "another long password");
            assertThat(fx.accounts.passwordDerivations() - before).isEqualTo(4);
        }
    }
}
