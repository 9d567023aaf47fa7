package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drains a spool of 300 messages in child JVMs that are killed with SIGKILL at random moments, then
 * checks that the INBOX holds every message exactly once, byte for byte, and that the spool is empty.
 */
class SpoolDrainCrashTest {
    private static final long SEED = 0x5eed_d4a1L;
    private static final int MESSAGES = 300;
    private static final int KILL_ROUNDS = 10;
    private static final String ADDRESS = "drain@example.org";
    private static final String PASSWORD = "drain crash test password";
    private static final Pattern MARKER = Pattern.compile("(?m)^Subject: (marker-\\d{3}-[0-9a-f]{8})$");
    private static final Instant FIRST_RECEIVED = Instant.parse("2026-03-01T12:00:00.000Z");

    @TempDir Path tmp;

    @Test
    @Timeout(120)
    void killedDrainsLoseNothingAndDuplicateNothing() {
        Path data = tmp.resolve("data");
        Random rnd = new Random(SEED);
        Map<String, byte[]> sent = new LinkedHashMap<>();
        String aliasId;
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            node.control().addDomain("example.org");
            AliasRecord alias = node.accounts().createAlias(ADDRESS, Optional.of(PASSWORD), false).alias();
            aliasId = alias.id();
            for (int i = 0; i < MESSAGES; i++) {
                String marker = "marker-%03d-%08x".formatted(i, rnd.nextInt());
                byte[] msg = message(i, marker, rnd);
                sent.put(marker, msg);
                node.spool().enqueue(alias, new ByteArrayInputStream(msg), FIRST_RECEIVED.plusMillis(i));
            }
            assertThat(node.spool().pending(aliasId)).hasSize(MESSAGES);
        }
        Path spoolDir = data.resolve("spool").resolve(aliasId);

        // Three kinds of rounds, in turn. (1) Kill once the first k files of a committed batch are gone
        // (k random in 1..64): inside the window between the delivery commit and the removal of the
        // batch's spool files, which only the receipts make safe. (2) Kill just after a whole batch is
        // gone: around the forgetting of receipts and the start of the next batch. (3) Kill at a random
        // moment up to 1.5 s after login (a whole drain takes about 2 s on two cores): mostly inside a
        // delivery transaction. (1) and (2) land mid-drain whatever the speed of the machine.
        int midDrainKills = 0;
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= KILL_ROUNDS && pending(spoolDir) > 0; round++) {
            int before = pending(spoolDir);
            try (ChildJvm child = ChildJvm.start(tmp, "drain", data.toString(), ADDRESS, PASSWORD)) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                String how;
                if (round % 3 == 0) {
                    int delay = rnd.nextInt(1500);
                    how = "after " + delay + " ms";
                    ChildJvm.pause(delay);
                } else {
                    int k = round % 3 == 1 ? 1 + rnd.nextInt(64) : 64 + rnd.nextInt(3);
                    int target = Math.max(1, before - k);
                    how = "at pending <= " + target;
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> pending(spoolDir) <= target || !child.isAlive());
                }
                int exit = child.kill();
                int after = pending(spoolDir);
                log.add("round " + round + " killed " + how + ": pending " + before + " -> " + after + ", exit " + exit + ", printed " + child.lines());
                if (after < before && after > 0) midDrainKills++;
                assertThat(after).as("pending files never increase").isLessThanOrEqualTo(before);
            }
        }
        try (ChildJvm last = ChildJvm.start(tmp, "drain", data.toString(), ADDRESS, PASSWORD)) {
            long t0 = System.nanoTime();
            last.awaitLine("ready", Duration.ofSeconds(30));
            long t1 = System.nanoTime();
            int exit = last.waitForExit(Duration.ofSeconds(60));
            log.add("final: start->ready " + (t1 - t0) / 1_000_000 + " ms, ready->exit " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertThat(exit).as(last.toString()).isZero();
            assertThat(last.lines()).as(last.toString()).contains("ready").anyMatch(l -> l.startsWith("done "));
            log.add("final: printed " + last.lines());
        }
        System.out.println("[SpoolDrainCrashTest] " + midDrainKills + " kills landed mid-drain\n  " + String.join("\n  ", log));
        assertThat(midDrainKills).as("kills that landed between the first and the last batch:\n" + String.join("\n", log))
                .isPositive();

        assertThat(pending(spoolDir)).isZero();
        assertThat(spoolFiles(spoolDir)).as("nothing set aside as unreadable, no temp files").isEmpty();
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                List<MessageMeta> inbox = mb.messages(mb.folder("INBOX").id());
                assertThat(inbox).hasSize(MESSAGES);

                Map<String, Integer> seen = new HashMap<>();
                List<String> order = new ArrayList<>();
                for (MessageMeta m : inbox) {
                    byte[] raw = mb.raw(m.contentId());
                    Matcher matcher = MARKER.matcher(new String(raw, StandardCharsets.ISO_8859_1));
                    assertThat(matcher.find()).as("uid %d has a marker", m.uid()).isTrue();
                    String marker = matcher.group(1);
                    seen.merge(marker, 1, Integer::sum);
                    order.add(marker);
                    assertThat(sent).containsKey(marker);
                    assertThat(raw).as(marker).isEqualTo(sent.get(marker));
                    assertThat(m.size()).isEqualTo(raw.length);
                    int i = Integer.parseInt(marker.substring(7, 10));
                    assertThat(m.internalDate()).as(marker).isEqualTo(FIRST_RECEIVED.plusMillis(i));
                }
                assertThat(seen).allSatisfy((marker, count) -> assertThat(count).as(marker).isEqualTo(1));
                assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
                // The spool is drained oldest first, so UIDs follow arrival order even across crashes.
                assertThat(order).containsExactlyElementsOf(sent.keySet());

                assertThat(node.spool().drain(mb)).isZero();
                assertThat(node.spool().pending(u.alias().id())).isEmpty();
                assertThat(mb.messages(mb.folder("INBOX").id())).hasSize(MESSAGES);
            }
        }
    }

    /** A small message with a unique marker; every 25th carries a base64 attachment stored as a blob. */
    private static byte[] message(int i, String marker, Random rnd) {
        StringBuilder text = new StringBuilder();
        int lines = 1 + rnd.nextInt(30);
        for (int l = 0; l < lines; l++) {
            int len = 1 + rnd.nextInt(70);
            for (int c = 0; c < len; c++) text.append((char) ('a' + rnd.nextInt(26)));
            text.append("\r\n");
        }
        String head = "From: Sender " + i + " <sender" + i + "@remote.example>\r\n"
                + "To: " + ADDRESS + "\r\n"
                + "Subject: " + marker + "\r\n"
                + "Date: Sun, 01 Mar 2026 12:00:00 +0000\r\n"
                + "Message-ID: <" + marker + "@remote.example>\r\n"
                + "MIME-Version: 1.0\r\n";
        if (i % 25 != 24) {
            return (head + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] attachment = new byte[6000 + rnd.nextInt(4000)];
        rnd.nextBytes(attachment);
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment);
        return (head + "Content-Type: multipart/mixed; boundary=\"b-" + marker + "\"\r\n\r\n"
                + "--b-" + marker + "\r\nContent-Type: text/plain\r\n\r\n" + text
                + "--b-" + marker + "\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + b64 + "\r\n--b-" + marker + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static int pending(Path spoolDir) {
        return (int) spoolFiles(spoolDir).stream().filter(n -> n.endsWith(".msg")).count();
    }

    private static List<String> spoolFiles(Path spoolDir) {
        if (!Files.isDirectory(spoolDir)) return List.of();
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
