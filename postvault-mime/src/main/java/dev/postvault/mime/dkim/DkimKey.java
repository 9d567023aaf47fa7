package dev.postvault.mime.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * One signing key of a domain: {@code selector._domainkey.domain} publishes its public half. Holds a
 * private key: never printed.
 */
public record DkimKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {

    /** A new key: RSA 2048 bits (RFC 8301 §3.2 asks for at least 1024; 2048 is the common choice) or Ed25519. */
    public static DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519");
            if (algorithm == DkimAlgorithm.RSA_SHA256) g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            return new DkimKey(domain, selector, algorithm, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + algorithm + " keys", e);
        }
    }

    /** A key from its PKCS#8 private and X.509 public encodings ({@link #encodedPrivate()}, {@link #encodedPublic()}). */
    public static DkimKey decode(String domain, String selector, DkimAlgorithm algorithm, byte[] pkcs8, byte[] x509) {
        try {
            KeyFactory f = KeyFactory.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519");
            return new DkimKey(domain, selector, algorithm, f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    f.generatePublic(new X509EncodedKeySpec(x509)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + algorithm + " key", e);
        }
    }

    public byte[] encodedPrivate() {
        return privateKey.getEncoded();
    }

    public byte[] encodedPublic() {
        return publicKey.getEncoded();
    }

    /** The public half, as DNS publishes it. */
    public DkimPublicKey publicPart() {
        return new DkimPublicKey(domain, selector, algorithm, publicKey.getEncoded());
    }

    /** The DNS name of the key record (RFC 6376 §3.6.2.1). */
    public String dnsName() {
        return publicPart().dnsName();
    }

    /** The TXT record (RFC 6376 §3.6.1, RFC 8463 §4.2). */
    public String dnsRecord() {
        return publicPart().dnsRecord();
    }

    @Override
    public String toString() {
        return "DkimKey[" + dnsName() + ", " + algorithm + "]";
    }
}
