package dev.postvault.server.crash;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The child JVM of the crash tests: does one kind of work on a data directory and reports each step
 * that completed on standard output, until it finishes or is killed with SIGKILL.
 *
 * <pre>
 * drain  DATA ADDRESS PASSWORD               log in, print "ready", drain the spool, print "done N"
 * enqueue DATA ADDRESS ROUND                 8 threads forever: seal a message into the spool, print "acked MARKER"
 * passwd DATA ADDRESS PW_A PW_B              forever: change A to B, print "B"; change B to A, print "A"
 * create DATA LOCAL_PREFIX DOMAIN PASSWORD N create PREFIX{N}@DOMAIN, PREFIX{N+1}@DOMAIN, ... printing "created I"
 * init   DATA DOMAIN                         print "starting", open a new data directory, add DOMAIN, print "done"
 * restore DATA ADDRESS V1 V2                 forever: 'postvault restore' to V1, print "restored V1"; then V2 ...
 * backup DATA ADDRESS PASSWORD               forever: append a message, 'postvault backup run', print "backed up I"
 * export DATA ADDRESS PASSWORD OUT           forever: 'postvault export --format mbox --output OUT', print "exported I"
 * import DATA ADDRESS PASSWORD MBOX          forever: 'postvault import MBOX --from mbox', print "imported I"
 * </pre>
 */
public final class CrashChild {
    /**
     * Cheap Argon2id so a round costs milliseconds; parent and child must agree on it. Mailboxes close
     * with their last handle: the children are tools that write and then run a CLI command in the same
     * process, which (like a second process) finds a lingering mailbox open and waits for it.
     */
    public static final Node.Settings CHEAP = new Node.Settings(new Argon2Params(64, 1, 1), Duration.ZERO,
            MailboxLimits.DEFAULT.withLinger(Duration.ZERO, 0));

    private CrashChild() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        Path data = Path.of(args[1]);
        if (args[0].equals("init")) say(out, "starting");
        try (Node node = Node.open(data, CHEAP)) {
            switch (args[0]) {
                case "drain" -> drain(node, args[2], args[3], out);
                case "enqueue" -> enqueue(node, args[2], Integer.parseInt(args[3]), out);
                case "outbound" -> outbound(node, Integer.parseInt(args[2]), out);
                case "passwd" -> passwd(node, args[2], args[3], args[4], out);
                case "create" -> create(node, args[2], args[3], args[4], Integer.parseInt(args[5]), out);
                case "restore" -> restore(data, args[2], args[3], args[4], out);
                case "backup" -> backup(node, data, args[2], args[3], out);
                case "export" -> repeat(out, "exported", args[3], "export", args[2], "--format", "mbox", "--output", args[4],
                        "--password-stdin", "--data-dir", data.toString());
                case "import" -> repeat(out, "imported", args[3], "import", args[2], args[4], "--from", "mbox", "--password-stdin",
                        "--data-dir", data.toString());
                case "init" -> {
                    node.control().addDomain(args[2]);
                    say(out, "done");
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        out.flush();
        System.exit(0);
    }

    private static void drain(Node node, String address, String password, PrintStream out) {
        Unlocked u = node.accounts().login(address, password);
        try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
            say(out, "ready");
            int n = 0;
            while (node.spool().hasPending(u.alias().id())) n += node.spool().drain(mb);
            say(out, "done " + n);
        }
    }

    /** What an MX does under load: many sessions sealing into one alias's spool at once. */
    private static void enqueue(Node node, String address, int round, PrintStream out) {
        var alias = node.control().alias(address).orElseThrow();
        say(out, "ready");
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; ; i++) {
                    String marker = SpoolEnqueueCrashTest.marker(round, thread, i);
                    node.spool().enqueue(alias, new java.io.ByteArrayInputStream(SpoolEnqueueCrashTest.message(marker)), java.time.Instant.now());
                    synchronized (out) {
                        say(out, "acked " + marker);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Four threads queue messages for other servers and record attempts on them, saying "queued MARKER
     * ID" once a message is on disk and "attempt ID N" once its N-th attempt is recorded.
     */
    private static void outbound(Node node, int round, PrintStream out) {
        var queue = OutboundQueueCrashTest.queue(node);
        say(out, "ready");
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; ; i++) {
                    String marker = SpoolEnqueueCrashTest.marker(round, thread, i);
                    String id = queue.enqueue("alias-" + thread, "sender@example.org", OutboundQueueCrashTest.RECIPIENTS,
                            SpoolEnqueueCrashTest.message(marker), java.time.Instant.now());
                    synchronized (out) {
                        say(out, "queued " + marker + " " + id);
                    }
                    var q = queue.find(id).orElseThrow();
                    for (int attempt = 1; attempt <= 3; attempt++) {
                        int n = attempt;
                        queue.update(id, q.recipients().stream().map(r -> new dev.postvault.store.outbound.OutboundQueue.Recipient(
                                r.address(), dev.postvault.store.outbound.OutboundQueue.Status.PENDING, n, java.time.Instant.now(),
                                "451 attempt " + n)).toList());
                        synchronized (out) {
                            say(out, "attempt " + id + " " + n);
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void passwd(Node node, String address, String a, String b, PrintStream out) {
        say(out, "ready");
        while (true) {
            node.accounts().changePassword(address, a, b);
            say(out, "B");
            node.accounts().changePassword(address, b, a);
            say(out, "A");
        }
    }

    private static void create(Node node, String prefix, String domain, String password, int from, PrintStream out) {
        say(out, "ready");
        for (int i = from; ; i++) {
            node.accounts().createAlias(prefix + i + "@" + domain, Optional.of(password), true);
            say(out, "created " + i);
        }
    }

    private static void restore(Path data, String address, String v1, String v2, PrintStream out) {
        say(out, "ready");
        for (int i = 0; ; i++) {
            String v = i % 2 == 0 ? v1 : v2;
            int code = cli("restore", address, "--version", v, "--data-dir", data.toString());
            say(out, code == 0 ? "restored " + v : "failed " + code);
        }
    }

    private static void backup(Node node, Path data, String address, String password, PrintStream out) {
        Unlocked u = node.accounts().login(address, password);
        say(out, "ready");
        for (int i = 0; ; i++) {
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                mb.append("INBOX", ("Subject: backup round " + i + "\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        dev.postvault.store.mailbox.MessageFlags.NONE, java.time.Instant.now());
            }
            int code = cli("backup", "run", address, "--data-dir", data.toString());
            say(out, code == 0 ? "backed up " + i : "failed " + code);
        }
    }

    /** Runs one command line over and over with the password on standard input. */
    private static void repeat(PrintStream out, String what, String password, String... args) {
        say(out, "ready");
        for (int i = 0; ; i++) {
            System.setIn(new java.io.ByteArrayInputStream((password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            int code = cli(args);
            say(out, code == 0 ? what + " " + i : "failed " + code);
        }
    }

    /** Runs a command line in this JVM, as bin/postvault would in its own. */
    private static int cli(String... args) {
        var sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        return dev.postvault.server.cli.Main.run(args, sink, sink, java.util.Map.of());
    }

    private static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
