package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM creates aliases one after another and is killed with SIGKILL at random moments. Each
 * alias is then either complete (listed, password works, mailbox opens) or absent, and an absent one
 * can be created again at once: a crash never leaves a half alias that blocks its address.
 */
class AliasCreationCrashTest {
    private static final long SEED = 0xa11a_5eedL;
    private static final int ROUNDS = 8;
    private static final String DOMAIN = "example.org";
    private static final String PASSWORD = "alias creation crash password";

    @TempDir Path tmp;

    private static String address(int i) {
        return "user" + i + "@" + DOMAIN;
    }

    @Test
    @Timeout(120)
    void killedCreationLeavesAWorkingAliasOrNone() {
        Path data = tmp.resolve("data");
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain(DOMAIN);
        }

        Random rnd = new Random(SEED);
        int next = 0; // every alias below this one exists and works
        int recreated = 0;
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int from = next;
            int lastPrinted;
            try (ChildJvm child = ChildJvm.start(tmp, "create", data.toString(), "user", DOMAIN, PASSWORD, Integer.toString(from))) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                // A loaded machine may need seconds for the first creation: in odd rounds wait for it.
                if (round % 2 == 1) child.awaitLine("created " + from, Duration.ofSeconds(60));
                int delay = rnd.nextInt(1500);
                ChildJvm.pause(delay);
                int exit = child.kill();
                assertThat(exit).as("killed, not failed: " + child).isEqualTo(137);
                lastPrinted = child.lines().stream().filter(l -> l.startsWith("created ")).mapToInt(l -> Integer.parseInt(l.substring(8)))
                        .max().orElse(from - 1);
            }

            int uncertain = lastPrinted + 1; // being created when the kill came: complete or absent
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                for (int i = from; i <= lastPrinted; i++) assertWorks(node, i);
                boolean exists = node.control().alias(address(uncertain)).isPresent();
                if (exists) assertWorks(node, uncertain);
                assertThat(node.control().alias(address(uncertain + 1))).as("nothing beyond the interrupted alias").isEmpty();
                assertThat(node.control().aliases(Optional.empty())).hasSize(exists ? uncertain + 1 : uncertain);
                assertEveryAliasHasItsMailbox(node);
                // What an interrupted creation may leave is one unreferenced mailbox file, nothing more.
                assertThat(orphans(node, data).size()).as("orphaned mailbox files after %d crashes", round).isLessThanOrEqualTo(round);
                next = exists ? uncertain + 1 : uncertain;
                if (!exists) recreated++;
                log.add("round " + round + ": created " + from + ".." + lastPrinted + ", #" + uncertain + (exists ? " complete" : " absent")
                        + ", " + orphans(node, data).size() + " orphaned mailbox file(s)");
            }
        }

        // The last interrupted address, if absent, can be created at once; then every alias works.
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            if (node.control().alias(address(next)).isEmpty()) {
                node.accounts().createAlias(address(next), Optional.of(PASSWORD), true);
                next++;
            }
            for (int i = 0; i < next; i++) assertWorks(node, i);
            assertThat(node.control().aliases(Optional.empty())).hasSize(next);
            assertEveryAliasHasItsMailbox(node);
        }
        System.out.println("[AliasCreationCrashTest] " + next + " aliases, " + recreated + " interrupted and re-created\n  "
                + String.join("\n  ", log));
        assertThat(next).as("the children created aliases").isGreaterThanOrEqualTo(ROUNDS / 2);
    }

    private static void assertWorks(Node node, int i) {
        Unlocked u = node.accounts().login(address(i), PASSWORD);
        assertThat(u.alias().address()).isEqualTo(address(i));
        assertThat(u.alias().credentials().recoveryWrappedDek()).as(address(i)).isPresent();
        try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
            assertThat(mb.folder("INBOX").name()).isEqualTo("INBOX");
            assertThat(mb.aliasKeys().publicKeys().encode()).as("mailbox holds the alias's keypair").isEqualTo(u.alias().publicKey());
        }
    }

    private static void assertEveryAliasHasItsMailbox(Node node) {
        for (AliasRecord a : node.control().aliases(Optional.empty())) {
            assertThat(node.mailboxes().exists(a.id())).as(a.address()).isTrue();
        }
    }

    /** Mailbox files no alias refers to: what an interrupted creation is allowed to leave. */
    private static Set<String> orphans(Node node, Path data) {
        Set<String> ids = new HashSet<>();
        for (AliasRecord a : node.control().aliases(Optional.empty())) ids.add(a.id());
        try (Stream<Path> files = Files.list(data.resolve("mailboxes"))) {
            Set<String> out = new HashSet<>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sqlite"))
                    .map(n -> n.substring(0, n.length() - ".sqlite".length())).filter(id -> !ids.contains(id)).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
