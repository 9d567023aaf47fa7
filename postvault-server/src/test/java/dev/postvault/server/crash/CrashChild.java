package dev.postvault.server.crash;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxLimits;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The child JVM of the crash tests: does one kind of work on a data directory and reports each step
 * that completed on standard output, until it finishes or is killed with SIGKILL.
 *
 * <pre>
 * drain  DATA ADDRESS PASSWORD               log in, print "ready", drain the spool, print "done N"
 * passwd DATA ADDRESS PW_A PW_B              forever: change A to B, print "B"; change B to A, print "A"
 * create DATA LOCAL_PREFIX DOMAIN PASSWORD N create PREFIX{N}@DOMAIN, PREFIX{N+1}@DOMAIN, ... printing "created I"
 * init   DATA DOMAIN                         print "starting", open a new data directory, add DOMAIN, print "done"
 * </pre>
 */
public final class CrashChild {
    /** Cheap Argon2id so a round costs milliseconds; parent and child must agree on it. */
    public static final Node.Settings CHEAP = new Node.Settings(new Argon2Params(64, 1, 1), Duration.ZERO, MailboxLimits.DEFAULT);

    private CrashChild() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        Path data = Path.of(args[1]);
        if (args[0].equals("init")) say(out, "starting");
        try (Node node = Node.open(data, CHEAP)) {
            switch (args[0]) {
                case "drain" -> drain(node, args[2], args[3], out);
                case "passwd" -> passwd(node, args[2], args[3], args[4], out);
                case "create" -> create(node, args[2], args[3], args[4], Integer.parseInt(args[5]), out);
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

    private static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
