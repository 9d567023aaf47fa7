package dev.postvault.server.tls;

import dev.postvault.crypto.Durability;
import dev.postvault.crypto.ServerKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity used until an operator installs a real certificate: a self-signed ECDSA P-256
 * certificate for the server's host name, created on first start in {@code <data>/tls/server.p12}.
 * The PKCS#12 file is protected by a password derived from the server key, so the TLS private key is
 * not lying on disk in clear.
 */
public final class SelfSignedTls {
    public static final String FILE = "tls/server.p12";
    private static final String ALIAS = "postvault";

    private SelfSignedTls() {}

    public static SSLContext loadOrCreate(Path dataDir, ServerKey serverKey, String hostname) {
        Path file = dataDir.resolve(FILE);
        char[] password = keystorePassword(serverKey);
        try {
            if (!Files.exists(file)) create(file, password, hostname);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load TLS key store " + file + ": " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** The self-signed certificate, so test clients can trust exactly it. */
    public static X509Certificate certificate(Path dataDir, ServerKey serverKey) {
        char[] password = keystorePassword(serverKey);
        try (InputStream in = Files.newInputStream(dataDir.resolve(FILE))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return (X509Certificate) ks.getCertificate(ALIAS);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read TLS certificate", e);
        }
    }

    private static void create(Path file, char[] password, String hostname) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + hostname);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, hostname), new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        try {
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, kp.getPrivate(), password, new X509Certificate[] {cert});
            Path tmp = Files.createTempFile(file.getParent(), ".server", ".p12.tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            Durability.fsyncDirectory(file.getParent());
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static char[] keystorePassword(ServerKey serverKey) {
        var k = serverKey.subkey("tls-keystore");
        try {
            return k.hex().toCharArray();
        } finally {
            k.destroy();
        }
    }
}
