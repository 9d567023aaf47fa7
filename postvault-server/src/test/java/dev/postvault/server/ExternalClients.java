package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.tls.SelfSignedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Running real client programs against a test server: the CA file they trust, and the process itself. */
final class ExternalClients {
    private ExternalClients() {}

    /** Writes the server's self-signed certificate as a PEM file a client can be told to trust. */
    static Path caFile(ServerFixture fx, Path dir) throws Exception {
        var cert = SelfSignedTls.certificate(fx.dataDir, fx.node().serverKey());
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return ca;
    }

    /**
     * Runs a program to its end and returns its standard output; it must exit 0 within a minute, or it
     * is killed (with anything it started) and the test fails. Output goes to files, so a program that
     * hangs with its output open cannot hold the test past the limit.
     */
    static byte[] run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("client", ".out");
        Path err = Files.createTempFile("client", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            byte[] stdout = Files.readAllBytes(out);
            String stderr = Files.readString(err);
            assertThat(ended).as("%s still running after 60 s: %s", command.getFirst(), stderr).isTrue();
            assertThat(p.exitValue()).as("%s exited %d and said: %s %s", command.getFirst(), p.exitValue(), stderr,
                    new String(stdout, StandardCharsets.UTF_8)).isZero();
            return stdout;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        return new String(run(command, Map.of()), StandardCharsets.UTF_8);
    }

    /**
     * dkimpy's verdict on a message's first two DKIM signatures ("True True" when both verify), the
     * keys looked up in {@code keys} as {@code domain dns} publishes them. dkimpy is the independent
     * verifier: Debian's python3-dkim, with PyNaCl for Ed25519, for Debian's own python3.
     */
    static String dkimpyVerify(Path dir, byte[] message, List<dev.postvault.mime.dkim.DkimKey> keys) throws IOException, InterruptedException {
        Path m = Files.createTempFile(dir, "signed", ".eml");
        Files.write(m, message);
        StringBuilder records = new StringBuilder();
        for (var k : keys) records.append(k.dnsName()).append('\t').append(k.dnsRecord()).append('\n');
        Path r = Files.createTempFile(dir, "records", ".txt");
        Files.writeString(r, records);
        return run(List.of("/usr/bin/python3", "-c", """
                import dkim, sys
                records = dict(line.split("\\t", 1) for line in open(sys.argv[2]).read().splitlines())
                message = open(sys.argv[1], "rb").read()
                d = dkim.DKIM(message)
                dns = lambda name, timeout=5: records.get(name.decode().rstrip("."), "").encode()
                print(d.verify(idx=0, dnsfunc=dns), d.verify(idx=1, dnsfunc=dns))
                """, m.toString(), r.toString())).strip();
    }

    /**
     * Runs an interactive (curses) program on a pseudo-terminal made by util-linux's {@code script}, with
     * nobody at the keyboard: it must do its work on its own (keys pushed by its configuration) and exit 0
     * within the limit, or it is killed and the test fails. Its screen goes to {@code screen}, which a
     * failure names rather than prints, as the screen may show addresses.
     */
    static void runOnTerminal(List<String> command, Map<String, String> env, Path screen, Duration limit)
            throws IOException, InterruptedException {
        String commandLine = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        var pb = new ProcessBuilder("script", "--quiet", "--flush", "--return", "--command", commandLine, "/dev/null");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(screen.toFile());
        Process p = pb.start(); // standard input stays open and silent: at its end, script would type ^D to the program
        try {
            assertThat(p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS))
                    .as("%s still running after %s; its screen is in %s", command.getFirst(), limit, screen).isTrue();
            assertThat(p.exitValue()).as("%s exit status; its screen is in %s", command.getFirst(), screen).isZero();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.getOutputStream().close();
        }
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
