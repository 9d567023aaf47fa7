package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.server.Node;
import dev.postvault.store.outbound.OutboundQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while four threads queue outbound mail and record attempts. Every
 * message whose enqueue returned (the 250 a client would get) must be in the queue once, byte for
 * byte, and every file in the queue must open; a recorded attempt is never lost (the state read back
 * is at least the last one acknowledged).
 */
class OutboundQueueCrashTest {
    private static final long SEED = 0x0b0_0da7aL;
    private static final int ROUNDS = 4;
    static final List<String> RECIPIENTS = List.of("one@remote.example", "two@other.example");
    private static final Pattern MARKER = Pattern.compile("(?m)^Subject: (r\\d+-t\\d+-m\\d+)$");

    @TempDir java.nio.file.Path tmp;

    /** The queue as the server will hold it: under the data directory, sealed with the server key. */
    static OutboundQueue queue(Node node) {
        return node.outbound();
    }

    @Test
    @Timeout(180)
    void killedWritesLoseNoAcknowledgedMessageOrAttempt() throws Exception {
        java.nio.file.Path data = tmp.resolve("data");
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            queue(node); // creates the directory
        }
        Random rnd = new Random(SEED);
        Map<String, String> acked = new HashMap<>(); // marker -> id
        Map<String, Integer> attempts = new HashMap<>(); // id -> last acknowledged attempt
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int killAt = 10 + rnd.nextInt(60);
            try (ChildJvm child = ChildJvm.start(tmp, "outbound", data.toString(), Integer.toString(round))) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                        .until(() -> queued(child).size() >= killAt || !child.isAlive());
                int exit = child.kill();
                Map<String, String> these = queued(child);
                log.add("round " + round + ": killed after " + these.size() + " queued (aimed at " + killAt + "), exit " + exit);
                assertThat(these).as(child.toString()).hasSizeGreaterThanOrEqualTo(killAt);
                acked.putAll(these);
                for (String line : child.lines()) {
                    if (line.startsWith("attempt ")) {
                        String[] p = line.split(" ");
                        attempts.merge(p[1], Integer.parseInt(p[2]), Math::max);
                    }
                }
            }
        }
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            OutboundQueue q = queue(node);
            Map<String, Integer> seen = new HashMap<>();
            for (String id : q.ids()) {
                var queued = q.find(id).orElseThrow();
                byte[] message = q.message(id).orElseThrow();
                Matcher m = MARKER.matcher(new String(message, 0, Math.min(message.length, 300), StandardCharsets.US_ASCII));
                assertThat(m.find()).as("%s carries a marker", id).isTrue();
                String marker = m.group(1);
                seen.merge(marker, 1, Integer::sum);
                assertThat(message).as(marker).isEqualTo(SpoolEnqueueCrashTest.message(marker));
                assertThat(queued.recipients()).extracting(OutboundQueue.Recipient::address).containsExactlyElementsOf(RECIPIENTS);
                int recorded = queued.recipients().getFirst().attempts();
                assertThat(recorded).as("attempts of %s", marker).isGreaterThanOrEqualTo(attempts.getOrDefault(id, 0));
            }
            assertThat(seen).allSatisfy((marker, count) -> assertThat(count).as(marker).isEqualTo(1));
            assertThat(seen.keySet()).containsAll(acked.keySet());
            try (var files = java.nio.file.Files.list(data.resolve("outbound"))) {
                assertThat(files.map(p -> p.getFileName().toString())).as("nothing but sealed entries").allMatch(n -> n.matches("[0-9a-f]{32}\\.(msg|state)"));
            }
            log.add("queue: " + seen.size() + " messages, " + acked.size() + " of them acknowledged, "
                    + attempts.size() + " with acknowledged attempts");
        }
        System.out.println("[OutboundQueueCrashTest]\n  " + String.join("\n  ", log));
    }

    private static Map<String, String> queued(ChildJvm child) {
        Map<String, String> out = new HashMap<>();
        for (String l : child.lines()) {
            if (l.startsWith("queued ")) {
                String[] p = l.split(" ");
                out.put(p[1], p[2]);
            }
        }
        return out;
    }
}
