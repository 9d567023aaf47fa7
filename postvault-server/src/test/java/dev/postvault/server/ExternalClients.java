package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.tls.SelfSignedTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /** Runs a program to its end (at most a minute) and returns its standard output; it must exit 0. */
    static byte[] run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("client", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(err);
        Files.delete(err);
        assertThat(p.exitValue()).as("%s said: %s %s", command.getFirst(), stderr, new String(out, StandardCharsets.UTF_8)).isZero();
        return out;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        return new String(run(command, Map.of()), StandardCharsets.UTF_8);
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
