package dev.postvault.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed identity for localhost / 127.0.0.1, made once per test JVM with the JDK's keytool:
 * the server side for listeners and a client side that trusts exactly it (certificates are verified).
 */
public final class TestTls {
    public static final String STORE_PASSWORD = "changeit";

    private static TestTls instance;

    public final Path keyStore;
    public final SSLContext server;
    public final SSLContext client;

    private TestTls(Path keyStore) throws Exception {
        this.keyStore = keyStore;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        client = Tls.clientTrusting(java.util.List.of(ks.getCertificate("server")));
    }

    public static synchronized TestTls get() throws Exception {
        if (instance != null) return instance;
        Path ks = Files.createTempDirectory("test-tls").resolve("tls.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(),
                "-storepass", STORE_PASSWORD, "-storetype", "PKCS12").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed");
        instance = new TestTls(ks);
        return instance;
    }
}
