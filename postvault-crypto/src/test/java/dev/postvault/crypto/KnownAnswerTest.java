package dev.postvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/** Known-answer vectors from the RFCs for every primitive the key hierarchy uses. */
class KnownAnswerTest {

    @Test
    void hkdfRfc5869TestCase1() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = Hkdf.derive(ikm, Bytes.unhex("000102030405060708090a0b0c"), Bytes.unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(Bytes.hex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void chacha20Poly1305Rfc8439Section282() {
        SecretKey32 key = SecretKey32.of(Bytes.unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"));
        byte[] nonce = Bytes.unhex("070000004041424344454647");
        byte[] aad = Bytes.unhex("50515253c0c1c2c3c4c5c6c7");
        byte[] pt = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Aead.encrypt(key, nonce, pt, aad);
        assertThat(Bytes.hex(out)).isEqualTo("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
                + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
        assertThat(Aead.decrypt(key, nonce, out, 0, out.length, aad)).isEqualTo(pt);
    }

    @Test
    void argon2idRfc9106Section53() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        byte[] tag = PasswordKdf.argon2id(password, salt, new Argon2Params(32, 3, 4), secret, ad, 32);
        assertThat(Bytes.hex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    /** The vector through the function the hybrid KEM calls (BouncyCastle's arithmetic). */
    @Test
    void x25519Rfc7748Section61() {
        byte[] alicePriv = Bytes.unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPub = Bytes.unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = HybridKem.x25519(new X25519PrivateKeyParameters(alicePriv), new X25519PublicKeyParameters(bobPub));
        assertThat(Bytes.hex(shared)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
