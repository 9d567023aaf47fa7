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
    /** Messages per drain transaction (the spool's batch). */
    private static final int BATCH = 128;
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
        assertThat(segments(spoolDir)).as("one process appended everything: one segment").hasSize(1);

        // How long a whole drain takes here and how far it grows the mailbox's WAL, measured on a copy.
        Path wal = data.resolve("mailboxes").resolve(aliasId + ".sqlite-wal");
        Calibration cal = calibrate(data, tmp.resolve("calibration"), aliasId);

        // Three kinds of rounds. (1) Once only the last batch is left: kill as soon as the segment file
        // is gone, the window between its removal and the forgetting of its receipts. (2) Otherwise, odd
        // rounds: kill once the WAL has grown to a random 25-75% of what delivering the rest writes. The
        // WAL grows at each batch's commit, so this lands between batches whatever the speed of the
        // machine. (3) Even rounds: kill at a random moment within the time a whole drain takes (inside
        // transactions, between batches, in the unsealing). Every round finds the segment's records
        // again, so the receipts must keep INBOX exact. (Between rounds the INBOX is counted by opening
        // the mailbox here; its close checkpoints and empties the WAL again.)
        int midDrainKills = 0;
        int inInbox = 0;
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= KILL_ROUNDS && !segments(spoolDir).isEmpty(); round++) {
            try (ChildJvm child = ChildJvm.start(tmp, "drain", data.toString(), ADDRESS, PASSWORD)) {
                child.awaitLine("ready", Duration.ofSeconds(30));
                String how;
                if (MESSAGES - inInbox <= BATCH) {
                    how = "once the segment was gone";
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> segments(spoolDir).isEmpty() || !child.isAlive());
                } else if (round % 2 == 1) {
                    long at = cal.walBytes() * (MESSAGES - inInbox) / MESSAGES * (25 + rnd.nextInt(51)) / 100;
                    how = "once the WAL reached " + at + " bytes";
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> size(wal) >= at || !child.isAlive());
                } else {
                    long delay = cal.drainMillis() / 4 + rnd.nextLong(Math.max(1, cal.drainMillis() * 3 / 4));
                    how = "after " + delay + " ms";
                    ChildJvm.pause(delay);
                }
                int exit = child.kill();
                int now = inboxCount(data);
                log.add("round " + round + " killed " + how + ": INBOX " + inInbox + " -> " + now + ", segments " + segments(spoolDir).size()
                        + ", exit " + exit + ", printed " + child.lines());
                assertThat(now).as("INBOX never shrinks and never passes the number sent").isBetween(inInbox, MESSAGES);
                if (now > 0 && now < MESSAGES) midDrainKills++;
                inInbox = now;
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
        System.out.println("[SpoolDrainCrashTest] a whole drain took " + cal.drainMillis() + " ms and wrote " + cal.walBytes() + " bytes of WAL; "
                + midDrainKills + " kills landed mid-drain\n  "
                + String.join("\n  ", log));
        assertThat(midDrainKills).as("kills that landed between the first and the last batch:\n" + String.join("\n", log))
                .isPositive();

        assertThat(spoolFiles(spoolDir)).as("nothing left, nothing set aside as unreadable, no temp files").isEmpty();
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

    private static List<String> segments(Path spoolDir) {
        return spoolFiles(spoolDir).stream().filter(n -> n.endsWith(".seg")).toList();
    }

    /** Messages in INBOX, counted by logging in from this JVM while no child runs. */
    private static int inboxCount(Path data) {
        try (Node node = Node.open(data, CrashChild.CHEAP)) {
            Unlocked u = node.accounts().login(ADDRESS, PASSWORD);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                return mb.messages(mb.folder("INBOX").id()).size();
            }
        }
    }

    /** What a whole drain takes: milliseconds from "ready" to its end, and the largest size its WAL reached. */
    private record Calibration(long drainMillis, long walBytes) {}

    /** Runs a whole drain in a child on a copy of {@code data}, watching the mailbox's WAL grow. */
    private static Calibration calibrate(Path data, Path copy, String aliasId) {
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                Path to = copy.resolve(data.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path wal = copy.resolve("mailboxes").resolve(aliasId + ".sqlite-wal");
        try (ChildJvm child = ChildJvm.start(copy.getParent(), "drain", copy.toString(), ADDRESS, PASSWORD)) {
            child.awaitLine("ready", Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            long peak = 0;
            while (child.isAlive()) {
                peak = Math.max(peak, size(wal)); // read before the child's close checkpoints it away
                ChildJvm.pause(1);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(child.waitForExit(Duration.ofSeconds(60))).as(child.toString()).isZero();
            assertThat(peak).as("the drain wrote to the WAL").isPositive();
            return new Calibration(millis, peak);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException missing) {
            return 0;
        }
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
