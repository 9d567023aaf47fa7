package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.StoreFixture;
import dev.postvault.store.TestMessages;
import dev.postvault.store.account.Unlocked;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions of one alias that log in, write and log out all the time (imaptest, phones waking up): the
 * last close of the file and the next open overlap, and neither may surface "busy" to a session.
 */
class SessionsComeAndGoTest {
    @TempDir Path dir;

    @Test
    void openWriteCloseInALoopNeverFailsAndLosesNothing() throws Exception {
        try (StoreFixture fx = new StoreFixture(dir)) {
            Unlocked user = fx.loggedIn("hello@example.org", "correct horse battery staple");
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int workers = 10;
            List<Future<Integer>> done = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < workers; w++) {
                    int id = w;
                    done.add(pool.submit(() -> {
                        int appended = 0;
                        for (int n = 0; System.nanoTime() < deadline; n++) {
                            try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
                                m.append("INBOX", TestMessages.simple("w" + id + " " + n, "x".repeat(2000 + n % 5000)), MessageFlags.NONE, Instant.now());
                                appended++;
                                for (int r = 0; r < 5; r++) { // a client's SELECT, FETCH and STATUS between writes
                                    m.folders();
                                    m.status("INBOX");
                                }
                                if (n % 3 == 0) m.createFolder("f" + id + "-" + n, Optional.empty());
                                if (n % 3 == 0) m.deleteFolder("f" + id + "-" + n);
                            } catch (RuntimeException e) {
                                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                            }
                        }
                        return appended;
                    }));
                }
            }
            int appended = 0;
            for (Future<Integer> f : done) appended += f.get();
            assertThat(failures).isEmpty();
            try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
                assertThat(m.status("INBOX").messages()).isEqualTo(appended);
            }
        }
    }

    @Test
    void anOpenDuringTheLastCloseWaitsForItInsteadOfRacingIt() throws Exception {
        // The last close returns free pages and truncates the WAL. A second writer connection opened
        // meanwhile competed with it for the write lock and could get SQLITE_BUSY ("database busy").
        try (StoreFixture fx = new StoreFixture(dir)) {
            Unlocked user = fx.loggedIn("hello@example.org", "correct horse battery staple");
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            int appended = 0;
            for (int round = 0; round < 6; round++) {
                Mailbox leaving = fx.mailboxes.open(user.alias().id(), user.dek());
                leaving.createFolder("scratch", Optional.empty());
                for (int n = 0; n < 150; n++) {
                    leaving.append("scratch", TestMessages.withAttachment("s" + n, "t", TestMessages.randomBytes(30_000, n)), MessageFlags.NONE, Instant.now());
                }
                leaving.deleteFolder("scratch"); // thousands of free pages for the close to give back
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    pool.submit(leaving::close);
                    Future<Integer> arriving = pool.submit(() -> {
                        int n = 0;
                        try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
                            for (; n < 40; n++) {
                                m.append("INBOX", TestMessages.simple("a" + n, "arriving"), MessageFlags.NONE, Instant.now());
                                m.status("INBOX");
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        return n;
                    });
                    appended += arriving.get();
                }
            }
            assertThat(failures).isEmpty();
            try (Mailbox m = fx.mailboxes.open(user.alias().id(), user.dek())) {
                assertThat(m.status("INBOX").messages()).isEqualTo(appended);
            }
        }
    }
}
