package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.Node;
import dev.postvault.store.outbound.OutboundQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postvault queue list|show|retry|drop} over a real data directory's outbound queue. */
class QueueCommandTest {
    @TempDir Path tmp;

    private Cli.Result cli(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = tmp.resolve("data").toString();
        return Cli.run(Map.of(), all);
    }

    @Test
    void listShowRetryAndDrop() {
        String id;
        Instant later = Instant.parse("2030-01-01T00:00:00Z");
        try (Node node = Node.open(tmp.resolve("data"), Node.Settings.DEFAULT)) {
            id = node.outbound().enqueue("alias-1", "alice@one.example", List.of("bob@two.example", "carol@three.example"),
                    "Subject: queued\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), Instant.parse("2026-12-08T00:00:00Z"));
            var q = node.outbound().find(id).orElseThrow();
            node.outbound().update(id, List.of(q.recipients().get(0).next(OutboundQueue.Status.DELIVERED, later, "250 2.0.0 ok"),
                    q.recipients().get(1).next(OutboundQueue.Status.PENDING, later, "451 4.3.0 try later")));
        }
        assertThat(cli("queue", "list").outLines()).containsExactly(
                id + "  2026-12-08T00:00:00Z  pending 1  delivered 1  failed 0  next 2030-01-01T00:00:00Z");
        Cli.Result show = cli("queue", "show", id);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.outLines()).contains("sender:    alice@one.example", "size:      25 bytes",
                "carol@three.example  PENDING  attempts 1  next 2030-01-01T00:00:00Z  last: 451 4.3.0 try later");
        assertThat(show.out()).doesNotContain("body");

        assertThat(cli("queue", "retry", id).exitCode()).isZero();
        assertThat(cli("queue", "list").out()).doesNotContain("next 2030");

        assertThat(cli("queue", "drop", id).outLines()).containsExactly("dropped " + id);
        assertThat(cli("queue", "list").out()).isEmpty();
        assertThat(cli("queue", "show", id).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli("queue", "drop", id).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
