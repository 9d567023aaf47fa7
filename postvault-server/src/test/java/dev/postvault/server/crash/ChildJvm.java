package dev.postvault.server.crash;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashChild} in its own JVM (same java binary and class path as the tests), whose standard
 * output lines are collected as they arrive and whose standard error goes to a file for diagnosis.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // the child is gone
            }
        });
    }

    /** Starts {@code CrashChild args...}; {@code scratch} receives its temp files and stderr log. */
    static ChildJvm start(Path scratch, String... args) {
        try {
            Path tmp = Files.createDirectories(scratch.resolve("child-tmp"));
            Path err = Files.createTempFile(scratch, "child-", ".err");
            String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command"));
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            return new ChildJvm(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean printed(String line) {
        return lines.contains(line);
    }

    void awaitLine(String line, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(5))
                    .failFast("child output ended", () -> !reader.isAlive() && !lines.contains(line))
                    .until(() -> lines.contains(line));
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("child did not print '" + line + "': " + e.getMessage() + "\n" + this, e);
        }
    }

    /** SIGKILL (on Linux), then waits until the process and its output are gone. Returns the exit code. */
    int kill() {
        process.destroyForcibly();
        return waitForExit(Duration.ofSeconds(20));
    }

    int waitForExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit within " + atMost + ":\n" + this);
            }
            reader.join(Duration.ofSeconds(60));
            if (reader.isAlive()) throw new AssertionError("the child's output was not read to its end:\n" + this);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits before a kill; a schedule, never an assertion. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + (process.isAlive() ? " running" : " exit " + process.exitValue())
                + " stdout " + lines + "\nstderr:\n" + stderr();
    }
}
