package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import dev.postvault.store.TestMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many sessions of one alias writing at once, as a phone, a laptop and Thunderbird's five connections
 * do, while mail arrives through the spool. Every command must succeed (no "database busy", no NO or
 * BAD a single session would not get), and the mailbox must end in the state the acknowledged
 * commands imply. Runs {@code postvault.stress.seconds} (default 60) with 20 sessions.
 */
class ConcurrentSessionsTest {
    private static final int SESSIONS = 20;
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID \\d+ (\\d+)]");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS");

    @TempDir Path dir;
    private ImapHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ImapHarness(dir, true);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** What one session did that the final state must show. */
    private record Outcome(Set<Long> keptUids, int tempLeft, int intoArchive, int commands) {}

    @Test
    void twentySessionsWriteOneMailboxWithoutABusyAnswerAndTheStateAddsUp() throws Exception {
        long seconds = Long.getLong("postvault.stress.seconds", 60);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger delivered = new AtomicInteger();
        List<Outcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> workers = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int id = i;
                workers.add(pool.submit(() -> work(id, deadline, unexpected)));
            }
            Future<?> mx = pool.submit(() -> {
                for (int n = 0; System.nanoTime() < deadline; n++) {
                    h.deliver(TestMessages.simple("delivered " + n, "arrived while twenty sessions wrote"));
                    delivered.incrementAndGet();
                    Thread.sleep(250);
                }
                return null;
            });
            for (Future<Outcome> w : workers) outcomes.add(w.get());
            mx.get();
        }
        assertThat(unexpected).as("answers other than OK").isEmpty();

        int kept = outcomes.stream().mapToInt(o -> o.keptUids().size()).sum();
        int temp = outcomes.stream().mapToInt(Outcome::tempLeft).sum();
        int archived = outcomes.stream().mapToInt(Outcome::intoArchive).sum();
        int commands = outcomes.stream().mapToInt(Outcome::commands).sum();
        assertThat(commands).as("commands run").isGreaterThan(SESSIONS * 10);
        try (ImapClient c = h.login()) {
            int expectedInbox = kept + temp + delivered.get();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int exists;
            do { // the last deliveries may still be draining
                exists = exists(c.command("SELECT INBOX"));
                if (exists == expectedInbox) break;
                Thread.sleep(200);
            } while (System.nanoTime() < until);
            assertThat(exists).as("INBOX: kept + temporary left + delivered").isEqualTo(expectedInbox);
            Set<Long> inboxUids = new HashSet<>();
            for (String line : c.command("UID SEARCH ALL")) {
                if (line.startsWith("* SEARCH")) for (String n : line.substring(8).trim().split(" ")) if (!n.isEmpty()) inboxUids.add(Long.parseLong(n));
            }
            assertThat(inboxUids).hasSize(expectedInbox);
            for (Outcome o : outcomes) assertThat(inboxUids).containsAll(o.keptUids());
            assertThat(c.command("STATUS Archive (MESSAGES)").getFirst()).isEqualTo("* STATUS \"Archive\" (MESSAGES " + archived + ")");
            assertThat(c.command("LIST \"\" \"w*\"")).hasSize(1); // every folder a session made is gone again
        }
    }

    private Outcome work(int id, long deadline, ConcurrentLinkedQueue<String> unexpected) throws Exception {
        Random rnd = new Random(id);
        List<Long> keep = new ArrayList<>();
        List<Long> temp = new ArrayList<>();
        int archived = 0;
        int commands = 0;
        try (ImapClient c = new ImapClient(h.plain.port())) {
            c.readResponse();
            Session s = new Session(c, "w" + id, unexpected);
            s.ok("LOGIN " + ImapHarness.USER + " \"" + ImapHarness.PASSWORD + "\"");
            s.ok("SELECT INBOX");
            for (int n = 0; System.nanoTime() < deadline; n++) {
                commands++;
                switch (rnd.nextInt(10)) {
                    case 0, 1 -> {
                        boolean keeper = rnd.nextBoolean();
                        int size = rnd.nextInt(20) == 0 ? 300_000 : 2_000 + rnd.nextInt(20_000);
                        byte[] msg = TestMessages.withAttachment("w" + id + " n" + n, "text", TestMessages.randomBytes(size * 3 / 4, n));
                        s.append(msg, rnd.nextBoolean()).ifPresent(uid -> (keeper ? keep : temp).add(uid));
                    }
                    case 2 -> {
                        if (!keep.isEmpty()) s.ok("UID STORE " + pick(rnd, keep) + (rnd.nextBoolean() ? " +" : " -") + "FLAGS (\\Flagged)");
                    }
                    case 3 -> {
                        if (!temp.isEmpty()) {
                            long uid = temp.remove(rnd.nextInt(temp.size()));
                            s.ok("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
                            s.ok("UID EXPUNGE " + uid);
                        }
                    }
                    case 4 -> {
                        if (!keep.isEmpty() && s.ok("UID COPY " + pick(rnd, keep) + " Archive")) archived++;
                    }
                    case 5 -> {
                        if (!temp.isEmpty() && s.ok("UID MOVE " + temp.remove(rnd.nextInt(temp.size())) + " Archive")) archived++;
                    }
                    case 6 -> {
                        String name = "w" + id + "-" + n;
                        s.ok("CREATE " + name);
                        s.ok("RENAME " + name + " " + name + "x");
                        s.ok("DELETE " + name + "x");
                    }
                    case 7 -> s.ok("UID FETCH 1:* (FLAGS RFC822.SIZE)");
                    case 8 -> s.ok(rnd.nextBoolean() ? "UID SEARCH FLAGGED" : "STATUS INBOX (MESSAGES UIDNEXT)");
                    default -> s.ok("NOOP");
                }
            }
            s.ok("LOGOUT");
        }
        return new Outcome(new HashSet<>(keep), temp.size(), archived, commands);
    }

    private static long pick(Random rnd, List<Long> uids) {
        return uids.get(rnd.nextInt(uids.size()));
    }

    private static int exists(List<String> lines) {
        for (String l : lines) {
            Matcher m = EXISTS.matcher(l);
            if (m.find()) return Integer.parseInt(m.group(1));
        }
        throw new AssertionError("no EXISTS in " + lines);
    }

    /** One session's commands with its own tags; anything but a tagged OK is recorded. */
    private static final class Session {
        private final ImapClient c;
        private final String prefix;
        private final ConcurrentLinkedQueue<String> unexpected;
        private int tags;

        Session(ImapClient c, String prefix, ConcurrentLinkedQueue<String> unexpected) {
            this.c = c;
            this.prefix = prefix;
            this.unexpected = unexpected;
        }

        boolean ok(String command) throws Exception {
            String tag = prefix + "x" + (++tags);
            c.send(tag + " " + command + "\r\n");
            return check(command, c.until(tag).getLast(), tag);
        }

        /** APPEND with a synchronizing or a non-synchronizing (LITERAL+) literal; the new UID. */
        java.util.Optional<Long> append(byte[] msg, boolean nonSync) throws Exception {
            String tag = prefix + "x" + (++tags);
            c.send(tag + " APPEND INBOX {" + msg.length + (nonSync ? "+" : "") + "}\r\n");
            if (!nonSync) {
                String cont = c.readLine();
                if (!cont.startsWith("+")) {
                    check("APPEND", cont, tag);
                    return java.util.Optional.empty();
                }
            }
            c.sendBytes(msg);
            c.send("\r\n");
            String done = c.until(tag).getLast();
            if (!check("APPEND", done, tag)) return java.util.Optional.empty();
            Matcher m = APPENDUID.matcher(done);
            if (!m.find()) throw new AssertionError("no APPENDUID: " + done);
            return java.util.Optional.of(Long.parseLong(m.group(1)));
        }

        private boolean check(String command, String answer, String tag) {
            if (answer.startsWith(tag + " OK")) return true;
            unexpected.add(command.split(" ")[0] + " -> " + new String(answer.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            return false;
        }
    }
}
