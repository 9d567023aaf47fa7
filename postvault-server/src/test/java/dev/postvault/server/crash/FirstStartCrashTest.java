package dev.postvault.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The very first start on an empty data directory (server key, control plane, its schema) killed at
 * random moments: the directory must always open afterwards, with the same key if one was written,
 * and the interrupted step can be done again. A half-written key or schema would brick the install.
 */
class FirstStartCrashTest {
    private static final long SEED = 0xf125_7a27L;
    private static final int ROUNDS = 8;

    @TempDir Path tmp;

    @Test
    @Timeout(120)
    void killedFirstStartLeavesAUsableDataDirectory() throws IOException {
        Random rnd = new Random(SEED);
        List<String> log = new ArrayList<>();
        int interrupted = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Path data = tmp.resolve("data-" + round);
            boolean finished;
            try (ChildJvm child = ChildJvm.start(tmp, "init", data.toString(), "example.org")) {
                child.awaitLine("starting", Duration.ofSeconds(30));
                int delay = rnd.nextInt(1200);
                ChildJvm.pause(delay);
                child.kill();
                finished = child.printed("done");
                log.add("round " + round + ": killed " + delay + " ms after main() began; "
                        + (finished ? "had finished" : "interrupted") + "; left " + listing(data));
            }
            if (!finished) interrupted++;

            byte[] keyBefore = Files.exists(data.resolve("server.key")) ? Files.readAllBytes(data.resolve("server.key")) : null;
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                List<String> domains = node.control().domains();
                if (finished) assertThat(domains).containsExactly("example.org");
                else assertThat(domains).isSubsetOf("example.org");
                if (domains.isEmpty()) node.control().addDomain("example.org");
                assertThat(node.control().domains()).containsExactly("example.org");
            }
            if (keyBefore != null) {
                assertThat(Files.readAllBytes(data.resolve("server.key"))).as("a written key is never replaced").isEqualTo(keyBefore);
            }
            try (Node node = Node.open(data, CrashChild.CHEAP)) {
                assertThat(node.control().domains()).containsExactly("example.org");
            }
        }
        System.out.println("[FirstStartCrashTest] " + interrupted + " of " + ROUNDS + " first starts interrupted\n  " + String.join("\n  ", log));
    }

    private static List<String> listing(Path data) throws IOException {
        if (!Files.isDirectory(data)) return List.of();
        try (var files = Files.list(data)) {
            return files.map(f -> f.getFileName() + (Files.isRegularFile(f) ? "(" + size(f) + ")" : "/")).sorted().toList();
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }
}
