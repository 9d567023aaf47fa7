package dev.postvault.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import javax.crypto.KeyAgreement;

/**
 * The alias keypair: X25519 (RFC 7748) + ML-KEM-768 (FIPS 203), combined the way hybrid KEMs are:
 * both shared secrets go through HKDF together with the whole transcript (both ciphertexts and both
 * public keys), so the content key is safe while either component holds.
 *
 * <p>Encodings are the JDK's standard ones (X.509 SubjectPublicKeyInfo, PKCS#8) inside a versioned
 * length-prefixed container, so a key written today still parses when the JDK adds algorithms.
 */
public final class HybridKem {
    private static final byte VERSION = 1;
    private static final byte[] INFO = "postvault/v1/hybrid-kem".getBytes(StandardCharsets.US_ASCII);

    private HybridKem() {}

    public record PublicKeys(PublicKey x25519, PublicKey mlKem) {
        public byte[] encode() {
            return encodePair(x25519.getEncoded(), mlKem.getEncoded());
        }

        public static PublicKeys decode(byte[] encoded) {
            byte[][] parts = decodePair(encoded);
            try {
                return new PublicKeys(
                        KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(parts[0])),
                        KeyFactory.getInstance("ML-KEM").generatePublic(new X509EncodedKeySpec(parts[1])));
            } catch (GeneralSecurityException e) {
                throw CryptoException.malformed("bad hybrid public key");
            }
        }
    }

    public record PrivateKeys(PrivateKey x25519, PrivateKey mlKem) {
        public byte[] encode() {
            return encodePair(x25519.getEncoded(), mlKem.getEncoded());
        }

        public static PrivateKeys decode(byte[] encoded) {
            byte[][] parts = decodePair(encoded);
            try {
                return new PrivateKeys(
                        KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(parts[0])),
                        KeyFactory.getInstance("ML-KEM").generatePrivate(new PKCS8EncodedKeySpec(parts[1])));
            } catch (GeneralSecurityException e) {
                throw CryptoException.malformed("bad hybrid private key");
            } finally {
                Bytes.wipe(parts[0]);
                Bytes.wipe(parts[1]);
            }
        }

        @Override
        public String toString() {
            return "PrivateKeys[redacted]";
        }
    }

    public record KeyPairs(PublicKeys publicKeys, PrivateKeys privateKeys) {}

    /** What the sender sends: its ephemeral X25519 public key and the ML-KEM ciphertext. */
    public record Encapsulation(byte[] ephemeralX25519, byte[] mlKemCiphertext) {
        public byte[] encode() {
            return encodePair(ephemeralX25519, mlKemCiphertext);
        }

        public static Encapsulation decode(byte[] encoded) {
            byte[][] p = decodePair(encoded);
            return new Encapsulation(p[0], p[1]);
        }
    }

    public record Encapsulated(Encapsulation encapsulation, SecretKey32 key) {}

    public static KeyPairs generate() {
        try {
            KeyPair x = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            KeyPair m = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
            return new KeyPairs(new PublicKeys(x.getPublic(), m.getPublic()), new PrivateKeys(x.getPrivate(), m.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("X25519 or ML-KEM-768 unavailable", e);
        }
    }

    public static Encapsulated encapsulate(PublicKeys recipient) {
        try {
            KeyPair eph = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] ssX = x25519(eph.getPrivate(), recipient.x25519());
            KEM.Encapsulated m = KEM.getInstance("ML-KEM").newEncapsulator(recipient.mlKem()).encapsulate();
            byte[] ssM = m.key().getEncoded();
            var enc = new Encapsulation(eph.getPublic().getEncoded(), m.encapsulation());
            return new Encapsulated(enc, combine(ssX, ssM, enc, recipient));
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("hybrid encapsulation failed", e);
        }
    }

    public static SecretKey32 decapsulate(PrivateKeys keys, PublicKeys ownPublic, Encapsulation enc) {
        try {
            PublicKey eph = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(enc.ephemeralX25519()));
            byte[] ssX = x25519(keys.x25519(), eph);
            byte[] ssM = KEM.getInstance("ML-KEM").newDecapsulator(keys.mlKem()).decapsulate(enc.mlKemCiphertext()).getEncoded();
            return combine(ssX, ssM, enc, ownPublic);
        } catch (DecapsulateException | java.security.spec.InvalidKeySpecException e) {
            throw CryptoException.authentication("hybrid decapsulation failed");
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("hybrid decapsulation failed", e);
        }
    }

    private static byte[] x25519(PrivateKey own, PublicKey peer) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(own);
        ka.doPhase(peer, true);
        return ka.generateSecret(); // RFC 7748 §6.1: the JDK rejects the all-zero output
    }

    private static SecretKey32 combine(byte[] ssX, byte[] ssM, Encapsulation enc, PublicKeys recipient) {
        byte[] ikm = Bytes.concat(ssX, ssM);
        byte[] transcript = Bytes.concat(enc.encode(), recipient.encode());
        byte[] k = Hkdf.derive(ikm, transcript, INFO, 32);
        try {
            return SecretKey32.of(k);
        } finally {
            Bytes.wipe(k);
            Bytes.wipe(ikm);
            Bytes.wipe(ssX);
            Bytes.wipe(ssM);
        }
    }

    private static byte[] encodePair(byte[] a, byte[] b) {
        var bytes = new ByteArrayOutputStream(a.length + b.length + 9);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(a.length);
            out.write(a);
            out.writeInt(b.length);
            out.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[][] decodePair(byte[] encoded) {
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            if (in.readByte() != VERSION) throw CryptoException.malformed("unknown key encoding version");
            byte[] a = readBlock(in, encoded.length);
            byte[] b = readBlock(in, encoded.length);
            if (in.available() != 0) throw CryptoException.malformed("trailing bytes after key");
            return new byte[][] {a, b};
        } catch (IOException e) {
            throw CryptoException.malformed("truncated key encoding");
        }
    }

    static byte[] readBlock(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) throw CryptoException.malformed("bad length in key encoding");
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw CryptoException.malformed("truncated key encoding");
        return b;
    }
}
