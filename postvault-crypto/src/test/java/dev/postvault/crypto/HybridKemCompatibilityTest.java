package dev.postvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.KEM;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/**
 * The KEM's arithmetic moved from the JDK providers to BouncyCastle's. What was written before must
 * still open, and the two implementations must agree on every step, so neither side can drift.
 */
class HybridKemCompatibilityTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A keypair and a sealed message written by the JDK 25 implementation (the state of main before the switch). */
    @Test
    void aMessageSealedByTheJdkImplementationStillOpens() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/hybrid-kem-jdk25-v1.properties")) {
            p.load(in);
        }
        var pub = HybridKem.PublicKeys.decode(HEX.parseHex(p.getProperty("public")));
        var priv = HybridKem.PrivateKeys.decode(HEX.parseHex(p.getProperty("private")));
        var out = new ByteArrayOutputStream();
        StreamSealer.open(priv, pub, new ByteArrayInputStream(HEX.parseHex(p.getProperty("sealed"))), out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("Sealed before the switch to BouncyCastle's primitives.\r\n");
        assertThat(pub.encode()).isEqualTo(HEX.parseHex(p.getProperty("public"))); // the transcript binds these bytes
    }

    /** Keys generated now parse in the JDK, and the JDK derives the same component secrets from an encapsulation. */
    @Test
    void theJdkAgreesWithEveryComponentOfAFreshEncapsulation() throws Exception {
        var kp = HybridKem.generate();
        byte[][] pubs = pair(kp.publicKeys().encode());
        byte[][] privs = pair(kp.privateKeys().encode());
        var jdkX = KeyFactory.getInstance("X25519");
        var jdkM = KeyFactory.getInstance("ML-KEM");
        var xPub = jdkX.generatePublic(new X509EncodedKeySpec(pubs[0]));
        var xPriv = jdkX.generatePrivate(new PKCS8EncodedKeySpec(privs[0]));
        var mPub = jdkM.generatePublic(new X509EncodedKeySpec(pubs[1]));
        var mPriv = jdkM.generatePrivate(new PKCS8EncodedKeySpec(privs[1]));
        assertThat(xPub.getEncoded()).isEqualTo(pubs[0]);
        assertThat(mPub.getEncoded()).isEqualTo(pubs[1]);

        HybridKem.Encapsulated e = HybridKem.encapsulate(kp.publicKeys());
        var eph = jdkX.generatePublic(new X509EncodedKeySpec(e.encapsulation().ephemeralX25519()));
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(xPriv);
        ka.doPhase(eph, true);
        byte[] ssX = ka.generateSecret();
        byte[] ssM = KEM.getInstance("ML-KEM").newDecapsulator(mPriv).decapsulate(e.encapsulation().mlKemCiphertext()).getEncoded();
        byte[] expected = Hkdf.derive(Bytes.concat(ssX, ssM),
                Bytes.concat(e.encapsulation().encode(), kp.publicKeys().encode()),
                "postvault/v1/hybrid-kem".getBytes(StandardCharsets.US_ASCII), 32);
        assertThat(e.key().bytes()).isEqualTo(expected);
        assertThat(HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), e.encapsulation())).isEqualTo(e.key());
        assertThat(mPub).isNotNull();
    }

    @Test
    void malformedEncapsulationsAndKeysAreRefused() {
        var kp = HybridKem.generate();
        var enc = HybridKem.encapsulate(kp.publicKeys()).encapsulation();
        byte[] shortCt = java.util.Arrays.copyOf(enc.mlKemCiphertext(), 100);
        assertThatThrownBy(() -> HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), new HybridKem.Encapsulation(enc.ephemeralX25519(), shortCt)))
                .isInstanceOf(CryptoException.class);
        byte[] rawX = java.util.Arrays.copyOfRange(enc.ephemeralX25519(), 12, 44);
        assertThatThrownBy(() -> HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), new HybridKem.Encapsulation(rawX, enc.mlKemCiphertext())))
                .isInstanceOf(CryptoException.class);
        // RFC 7748 §6.1: the point of order 1 (u = 0) yields the all-zero secret.
        byte[] zeroPoint = enc.ephemeralX25519().clone();
        java.util.Arrays.fill(zeroPoint, 12, 44, (byte) 0);
        assertThatThrownBy(() -> HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), new HybridKem.Encapsulation(zeroPoint, enc.mlKemCiphertext())))
                .isInstanceOf(CryptoException.class);
        // A flipped ciphertext bit is rejected implicitly: a different key, not an exception.
        byte[] flipped = enc.mlKemCiphertext().clone();
        flipped[5] ^= 1;
        assertThat(HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), new HybridKem.Encapsulation(enc.ephemeralX25519(), flipped)))
                .isNotEqualTo(HybridKem.decapsulate(kp.privateKeys(), kp.publicKeys(), enc));
        // The ML-KEM half must be ML-KEM-768: an X25519 key in its place is refused.
        byte[][] pubs = pair(kp.publicKeys().encode());
        byte[] swapped = pairOf(pubs[0], pubs[0]);
        assertThatThrownBy(() -> HybridKem.PublicKeys.decode(swapped)).isInstanceOf(CryptoException.class);
        byte[] garbage = pairOf(pubs[0], new byte[] {0x30, 0x03, 0x01, 0x02, 0x03});
        assertThatThrownBy(() -> HybridKem.PublicKeys.decode(garbage)).isInstanceOf(CryptoException.class);
        byte[] privGarbage = pairOf(new byte[] {0x30}, new byte[] {0x30});
        assertThatThrownBy(() -> HybridKem.PrivateKeys.decode(privGarbage)).isInstanceOf(CryptoException.class);
    }

    private static byte[][] pair(byte[] encoded) {
        try (var in = new java.io.DataInputStream(new ByteArrayInputStream(encoded))) {
            in.readByte();
            return new byte[][] {HybridKem.readBlock(in, encoded.length), HybridKem.readBlock(in, encoded.length)};
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] pairOf(byte[] a, byte[] b) {
        return Bytes.concat(new byte[] {1}, java.nio.ByteBuffer.allocate(4).putInt(a.length).array(), a,
                java.nio.ByteBuffer.allocate(4).putInt(b.length).array(), b);
    }
}
