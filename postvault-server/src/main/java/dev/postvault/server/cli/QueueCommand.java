package dev.postvault.server.cli;

import dev.postvault.server.Node;
import dev.postvault.store.StoreException;
import dev.postvault.store.outbound.OutboundQueue;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The outbound queue, for an administrator: works whether or not the server runs (it reads the same files). */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Look at and act on mail waiting for other servers.",
        subcommands = {QueueCommand.List.class, QueueCommand.Show.class, QueueCommand.Retry.class, QueueCommand.Drop.class})
final class QueueCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per queued message: id, queued at, recipients pending/delivered/failed, next attempt.")
    static final class List implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Node node = data.open()) {
                for (String id : node.outbound().ids()) {
                    var q = node.outbound().find(id);
                    if (q.isEmpty()) continue; // delivered meanwhile
                    var r = q.get().recipients();
                    Instant next = r.stream().filter(x -> x.status() == OutboundQueue.Status.PENDING)
                            .map(OutboundQueue.Recipient::nextAttempt).min(Instant::compareTo).orElse(null);
                    out.printf("%s  %s  pending %d  delivered %d  failed %d  next %s%n", id, q.get().queuedAt(),
                            count(r, OutboundQueue.Status.PENDING), count(r, OutboundQueue.Status.DELIVERED),
                            count(r, OutboundQueue.Status.FAILED), next == null ? "-" : next);
                }
            }
            return ExitCodes.OK;
        }

        private static long count(java.util.List<OutboundQueue.Recipient> r, OutboundQueue.Status s) {
            return r.stream().filter(x -> x.status() == s).count();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A queued message's sender, size and each recipient's state and last answer (never its content).")
    static final class Show extends OneMessage {

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Node node = data.open()) {
                var entry = entry(node); // one read and decryption for the state and the size
                var q = entry.queued();
                out.println("id:        " + q.id());
                out.println("queued at: " + q.queuedAt());
                out.println("sender:    " + q.reversePath());
                out.println("size:      " + entry.message().length + " bytes");
                for (var r : q.recipients()) {
                    out.printf("%s  %s  attempts %d  next %s  last: %s%n", r.address(), r.status(), r.attempts(), r.nextAttempt(),
                            r.lastReply().isEmpty() ? "-" : r.lastReply());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Make a message's pending recipients due now; a running server tries them within a second.")
    static final class Retry extends OneMessage {

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                var q = entry(node).queued();
                Instant now = Instant.now();
                node.outbound().update(id, q.recipients().stream().map(r -> r.status() != OutboundQueue.Status.PENDING ? r
                        : new OutboundQueue.Recipient(r.address(), r.status(), r.attempts(), now, r.lastReply())).toList());
            }
            spec.commandLine().getOut().println("retrying " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Remove a message from the queue without delivering it or telling its sender.")
    static final class Drop extends OneMessage {

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                if (!node.outbound().remove(id)) throw StoreException.notFound("no such queued message");
            }
            spec.commandLine().getOut().println("dropped " + id);
            return ExitCodes.OK;
        }
    }

    /** What show, retry and drop share: the data directory and one queue id. */
    abstract static class OneMessage implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ID") String id;

        /** The queued message {@code id}; NOT_FOUND when there is none. */
        OutboundQueue.Entry entry(Node node) {
            return node.outbound().read(id).orElseThrow(() -> StoreException.notFound("no such queued message"));
        }
    }
}
