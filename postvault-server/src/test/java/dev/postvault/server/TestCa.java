package dev.postvault.server;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for tests of verified TLS (MTA-STS policy hosts, MX hosts under an
 * enforced policy): a root, and leaf certificates it issues for given host names, as Java objects and
 * as PEM files that Postfix reads.
 */
final class TestCa {
    /** A leaf: key and certificate, and where their PEM files are. */
    record Leaf(KeyPair keys, X509Certificate certificate, Path certFile, Path keyFile) {
        /** A server-side context presenting this certificate (for the JDK's HTTPS server). */
        SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("leaf", keys.getPrivate(), new char[0], new Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }
    }

    private final KeyPair keys;
    final X509Certificate root;

    private TestCa(KeyPair keys, X509Certificate root) {
        this.keys = keys;
        this.root = root;
    }

    static TestCa create(String name) throws Exception {
        KeyPair k = rsa();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), new X500Name("CN=" + name), k.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(k.getPrivate())));
        return new TestCa(k, root);
    }

    /** A certificate for {@code names} (subjectAltName dNSName, or iPAddress for an address), signed by this CA, written to {@code dir}. */
    Leaf issue(Path dir, String fileStem, String... names) throws Exception {
        KeyPair k = rsa();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + names[0]), k.getPublic());
        GeneralName[] alt = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            boolean ip = names[i].matches("[0-9.]+|.*:.*");
            alt[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Path certFile = dir.resolve(fileStem + ".crt");
        Path keyFile = dir.resolve(fileStem + ".key");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()) + pem("CERTIFICATE", root.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", k.getPrivate().getEncoded()));
        return new Leaf(k, cert, certFile, keyFile);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + new String(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
                StandardCharsets.US_ASCII) + "\n-----END " + type + "-----\n";
    }
}
