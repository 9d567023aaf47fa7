package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@link Main#run} in-process with captured output, a given environment and a given standard
 * input. {@code System.in} is swapped for the call and restored, so callers must not run in parallel.
 */
final class Cli {
    private Cli() {}

    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        /** The value of the single output line {@code "<label>: value"}; fails unless exactly one exists. */
        String value(String label) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ": (\\S+)$").matcher(out);
            List<String> found = new ArrayList<>();
            while (m.find()) found.add(m.group(1));
            assertThat(found).as("'%s:' lines in %s", label, out).hasSize(1);
            return found.getFirst();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    static Result runWithStdin(Map<String, String> env, String stdin, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    static Result run(Map<String, String> env, String... args) {
        return runWithStdin(env, "", args);
    }

    /** Every regular file under {@code dir} whose bytes contain {@code needle} (UTF-8). */
    static List<Path> filesContaining(Path dir, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> contains(read(f), n)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under {@code dir}, so a test can show that the scan above looked at something. */
    static List<Path> allFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    static int occurrences(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
        return n;
    }
}
