package dev.postvault.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for localhost/127.0.0.1, generated once per JVM with the JDK's keytool. */
final class TestTls {

    static final char[] PASSWORD = "changeit".toCharArray();

    private static TestTls instance;

    final Path directory;
    final Path keyStore;
    final Path certificatePem;
    final SSLContext serverContext;
    final SSLContext clientContext;

    private TestTls(Path directory) throws Exception {
        this.directory = directory;
        this.keyStore = directory.resolve("server.p12");
        this.certificatePem = directory.resolve("server.pem");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(ks.getCertificate("mx").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(certificatePem, pem, StandardCharsets.US_ASCII);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        clientContext = dev.postvault.net.Tls.clientTrusting(java.util.List.of(ks.getCertificate("mx")));
    }

    static synchronized TestTls get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("postvault-smtp-tls");
            dir.toFile().deleteOnExit();
            instance = new TestTls(dir);
            instance.keyStore.toFile().deleteOnExit();
            instance.certificatePem.toFile().deleteOnExit();
        }
        return instance;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + new String(output));
        }
    }
}
