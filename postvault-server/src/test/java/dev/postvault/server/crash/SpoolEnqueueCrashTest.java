package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while eight threads seal mail into one alias's spool (small messages
 * appended to the shared segment under group commit, and every tenth a large one streamed into a
 * segment of its own). Every message whose enqueue returned (an SMTP 250) must reach INBOX exactly
 * once and byte for byte; one that was cut off may arrive or not, but never twice or damaged.
 */
class SpoolEnqueueCrashTest {
    private static final long SEED = 0x5eed_e0c0L;
    private static final int ROUNDS = 5;
    private static final String ADDRESS = "enqueue@example.org";
    private static final String PASSWORD = "enqueue crash test password";
    private static final Pattern MARKER = Pattern.compile("(?m)^Subject: (r\\d+-t\\d+-m\\d+)$");

    @TempDir java.nio.file.Path tmp;

    static String marker(int round, int thread, int i) {
        return "r" + round + "-t" + thread + "-m" + i;
    }

    /** The message for a marker, the same in the child that sends it and here where it is checked. */
    static byte[] message(String marker) {
        Random rnd = new Random(marker.hashCode());
        int size = marker.endsWith("0") ? 1_200_000 + rnd.nextInt(400_000) : 500 + rnd.nextInt(20_000);
        StringBuilder body = new StringBuilder(size + 80);
        while (body.length() < size) {
            for (int c = 0; c < 70; c++) body.append((char) ('a' + rnd.nextInt(26)));
            body.append("\r\n");
        }
        return ("From: <sender@remote.example>\r\nTo: " + ADDRESS + "\r\nSubject: " + marker + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Timeout(180)
    void killedEnqueuesLoseNoAcknowledgedMessageAndDuplicateNothing() throws Exception {
        java.nio.file.Path data = tmp.resolve("data");
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain("example.org");
            node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false);
        }
        Random rnd = new Random(SEED);
        Set<String> acked = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int killAt = 20 + rnd.nextInt(150);
            try (ChildJvm child = ChildJvm.start(tmp, "enqueue", data.toString(), ADDRESS, Integer.toString(round))) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                        .until(() -> acks(child).size() >= killAt || !child.isAlive());
                int exit = child.kill();
                List<String> these = acks(child);
                log.add("round " + round + ": killed after " + these.size() + " acknowledged (aimed at " + killAt + "), exit " + exit);
                assertThat(these).as(child.toString()).hasSizeGreaterThanOrEqualTo(killAt);
                acked.addAll(these);
            }
        }
        System.out.println("[SpoolEnqueueCrashTest]\n  " + String.join("\n  ", log));

        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                while (node.spool().hasPending(u.alias().id())) node.spool().drain(mb);
                Map<String, Integer> seen = new HashMap<>();
                for (MessageMeta m : mb.messages(mb.folder("INBOX").id())) {
                    byte[] raw = mb.raw(m.contentId());
                    Matcher matcher = MARKER.matcher(new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.US_ASCII));
                    assertThat(matcher.find()).as("uid %d carries a marker", m.uid()).isTrue();
                    String marker = matcher.group(1);
                    seen.merge(marker, 1, Integer::sum);
                    assertThat(raw).as(marker).isEqualTo(message(marker));
                }
                assertThat(seen).allSatisfy((marker, count) -> assertThat(count).as(marker).isEqualTo(1));
                assertThat(seen.keySet()).containsAll(acked);
                log.add("INBOX: " + seen.size() + " messages, " + acked.size() + " of them acknowledged");
            }
            try (var files = java.nio.file.Files.list(data.resolve("spool"))) {
                for (var d : files.toList()) {
                    try (var left = java.nio.file.Files.list(d)) {
                        assertThat(left.map(p -> p.getFileName().toString())).as("spool left").allMatch(n -> n.startsWith(".tmp-"));
                    }
                }
            }
        }
        System.out.println("[SpoolEnqueueCrashTest] " + log.getLast());
    }

    private static List<String> acks(ChildJvm child) {
        return child.lines().stream().filter(l -> l.startsWith("acked ")).map(l -> l.substring(6)).toList();
    }
}
