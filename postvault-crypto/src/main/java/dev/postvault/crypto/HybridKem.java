package dev.postvault.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The alias keypair: X25519 (RFC 7748) + ML-KEM-768 (FIPS 203), combined the way hybrid KEMs are:
 * both shared secrets go through HKDF together with the whole transcript (both ciphertexts and both
 * public keys), so the content key is safe while either component holds.
 *
 * <p>Encodings are the standard ones (X.509 SubjectPublicKeyInfo, PKCS#8, as the JDK writes them too)
 * inside a versioned length-prefixed container. The arithmetic is BouncyCastle's: its X25519 and
 * ML-KEM-768 take about 300 µs per encapsulation here against about 700 µs for the JDK 25 providers,
 * and every message the MX accepts pays one (docs/benchmarks.md, "hybrid KEM"). Keys and sealed
 * messages written through the JDK providers before the switch decode and open unchanged
 * ({@code HybridKemCompatibilityTest}).
 */
public final class HybridKem {
    private static final byte VERSION = 1;
    private static final byte[] INFO = "postvault/v1/hybrid-kem".getBytes(StandardCharsets.US_ASCII);
    /** SubjectPublicKeyInfo of an X25519 key (RFC 8410 §4) up to the 32 key bytes. */
    private static final byte[] X25519_SPKI_PREFIX = Bytes.unhex("302a300506032b656e032100");
    private static final SecureRandom RANDOM = Bytes.secureRandom();

    private HybridKem() {}

    /** The alias's public half, with the exact encoding it was decoded from (the KEM transcript binds it). */
    public static final class PublicKeys {
        private final X25519PublicKeyParameters x25519;
        private final MLKEMPublicKeyParameters mlKem;
        private final byte[] encoded;

        private PublicKeys(X25519PublicKeyParameters x25519, MLKEMPublicKeyParameters mlKem, byte[] encoded) {
            this.x25519 = x25519;
            this.mlKem = mlKem;
            this.encoded = encoded;
        }

        public byte[] encode() {
            return encoded.clone();
        }

        public static PublicKeys decode(byte[] encoded) {
            byte[][] parts = decodePair(encoded);
            try {
                if (PublicKeyFactory.createKey(parts[0]) instanceof X25519PublicKeyParameters x
                        && PublicKeyFactory.createKey(parts[1]) instanceof MLKEMPublicKeyParameters m
                        && m.getParameters().equals(MLKEMParameters.ml_kem_768)) {
                    return new PublicKeys(x, m, encoded.clone());
                }
            } catch (IOException | RuntimeException e) {
                // fall through: BouncyCastle reports malformed DER with assorted runtime exceptions
            }
            throw CryptoException.malformed("bad hybrid public key");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PublicKeys p && Arrays.equals(encoded, p.encoded);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encoded);
        }
    }

    public static final class PrivateKeys {
        private final X25519PrivateKeyParameters x25519;
        private final MLKEMPrivateKeyParameters mlKem;

        private PrivateKeys(X25519PrivateKeyParameters x25519, MLKEMPrivateKeyParameters mlKem) {
            this.x25519 = x25519;
            this.mlKem = mlKem;
        }

        public byte[] encode() {
            try {
                return encodePair(
                        PrivateKeyInfoFactory.createPrivateKeyInfo(x25519).getEncoded(),
                        // the expanded form, as the JDK writes and reads it (and as mailboxes already hold it)
                        PrivateKeyInfoFactory.createPrivateKeyInfo(mlKem.getParametersWithFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY)).getEncoded());
            } catch (IOException e) {
                throw CryptoException.internal("cannot encode hybrid private key", e);
            }
        }

        public static PrivateKeys decode(byte[] encoded) {
            byte[][] parts = decodePair(encoded);
            try {
                if (PrivateKeyFactory.createKey(parts[0]) instanceof X25519PrivateKeyParameters x
                        && PrivateKeyFactory.createKey(parts[1]) instanceof MLKEMPrivateKeyParameters m
                        && m.getParameters().equals(MLKEMParameters.ml_kem_768)) {
                    return new PrivateKeys(x, m);
                }
            } catch (IOException | RuntimeException e) {
                // fall through
            } finally {
                Bytes.wipe(parts[0]);
                Bytes.wipe(parts[1]);
            }
            throw CryptoException.malformed("bad hybrid private key");
        }

        @Override
        public String toString() {
            return "PrivateKeys[redacted]";
        }
    }

    public record KeyPairs(PublicKeys publicKeys, PrivateKeys privateKeys) {}

    /** What the sender sends: its ephemeral X25519 public key (SubjectPublicKeyInfo) and the ML-KEM ciphertext. */
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
        var xg = new X25519KeyPairGenerator();
        xg.init(new X25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair x = xg.generateKeyPair();
        var mg = new MLKEMKeyPairGenerator();
        mg.init(new MLKEMKeyGenerationParameters(RANDOM, MLKEMParameters.ml_kem_768));
        AsymmetricCipherKeyPair m = mg.generateKeyPair();
        byte[] encoded = encodePair(spki(x.getPublic()), spki(m.getPublic()));
        return new KeyPairs(
                new PublicKeys((X25519PublicKeyParameters) x.getPublic(), (MLKEMPublicKeyParameters) m.getPublic(), encoded),
                new PrivateKeys((X25519PrivateKeyParameters) x.getPrivate(), (MLKEMPrivateKeyParameters) m.getPrivate()));
    }

    public static Encapsulated encapsulate(PublicKeys recipient) {
        var eph = new X25519PrivateKeyParameters(RANDOM);
        byte[] ssX = x25519(eph, recipient.x25519);
        SecretWithEncapsulation m = new MLKEMGenerator(RANDOM).generateEncapsulated(recipient.mlKem);
        byte[] ssM = m.getSecret();
        var enc = new Encapsulation(Bytes.concat(X25519_SPKI_PREFIX, eph.generatePublicKey().getEncoded()), m.getEncapsulation());
        return new Encapsulated(enc, combine(ssX, ssM, enc, recipient));
    }

    public static SecretKey32 decapsulate(PrivateKeys keys, PublicKeys ownPublic, Encapsulation enc) {
        byte[] eph = enc.ephemeralX25519();
        if (eph.length != X25519_SPKI_PREFIX.length + X25519PublicKeyParameters.KEY_SIZE
                || !Arrays.equals(eph, 0, X25519_SPKI_PREFIX.length, X25519_SPKI_PREFIX, 0, X25519_SPKI_PREFIX.length)) {
            throw CryptoException.authentication("hybrid decapsulation failed");
        }
        byte[] ssX = x25519(keys.x25519, new X25519PublicKeyParameters(eph, X25519_SPKI_PREFIX.length));
        byte[] ct = enc.mlKemCiphertext();
        var extractor = new MLKEMExtractor(keys.mlKem);
        if (ct.length != extractor.getEncapsulationLength()) throw CryptoException.authentication("hybrid decapsulation failed");
        // FIPS 203 §6.3: a ciphertext that does not match yields a pseudo-random key (implicit
        // rejection), so a forgery fails at the AEAD tag rather than here.
        byte[] ssM = extractor.extractSecret(ct);
        return combine(ssX, ssM, enc, ownPublic);
    }

    static byte[] x25519(X25519PrivateKeyParameters own, X25519PublicKeyParameters peer) {
        byte[] out = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
        try {
            own.generateSecret(peer, out, 0);
        } catch (IllegalStateException allZero) {
            // RFC 7748 §6.1: a small-order peer key gives the all-zero secret; refuse it
            throw CryptoException.authentication("hybrid decapsulation failed");
        }
        return out;
    }

    private static byte[] spki(AsymmetricKeyParameter key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw CryptoException.internal("cannot encode hybrid public key", e);
        }
    }

    private static SecretKey32 combine(byte[] ssX, byte[] ssM, Encapsulation enc, PublicKeys recipient) {
        byte[] ikm = Bytes.concat(ssX, ssM);
        byte[] transcript = Bytes.concat(enc.encode(), recipient.encoded);
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
