package dev.postvault.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8) with a random 96-bit nonce, for small secrets such as wrapped DEKs.
 * Box format: {@code version(1) || nonce(12) || ciphertext || tag(16)}. The associated data must name
 * what the box holds (for a wrapped DEK: the alias id), so a box cannot be moved to another context.
 */
public final class Aead {
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final byte VERSION = 1;

    private Aead() {}

    public static byte[] seal(SecretKey32 key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = Bytes.random(NONCE_BYTES);
        byte[] ct = encrypt(key, nonce, plaintext, associatedData);
        byte[] out = new byte[1 + NONCE_BYTES + ct.length];
        out[0] = VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        System.arraycopy(ct, 0, out, 1 + NONCE_BYTES, ct.length);
        return out;
    }

    public static byte[] open(SecretKey32 key, byte[] box, byte[] associatedData) {
        if (box.length < 1 + NONCE_BYTES + TAG_BYTES || box[0] != VERSION) {
            throw CryptoException.malformed("not a sealed box");
        }
        byte[] nonce = Arrays.copyOfRange(box, 1, 1 + NONCE_BYTES);
        return decrypt(key, nonce, box, 1 + NONCE_BYTES, box.length - 1 - NONCE_BYTES, associatedData);
    }

    /** Raw RFC 8439 AEAD encryption with a caller-chosen nonce (used by the streaming sealer). */
    static byte[] encrypt(SecretKey32 key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        return encrypt(key, nonce, plaintext, 0, plaintext.length, associatedData);
    }

    static byte[] encrypt(SecretKey32 key, byte[] nonce, byte[] plaintext, int off, int len, byte[] aad) {
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            c.updateAAD(aad);
            return c.doFinal(plaintext, off, len);
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("ChaCha20-Poly1305 failed", e);
        }
    }

    static byte[] decrypt(SecretKey32 key, byte[] nonce, byte[] in, int off, int len, byte[] aad) {
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, nonce);
            c.updateAAD(aad);
            return c.doFinal(in, off, len);
        } catch (AEADBadTagException e) {
            throw CryptoException.authentication("authentication failed: wrong key or modified data");
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("ChaCha20-Poly1305 failed", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey32 key, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] k = key.bytes();
        try {
            c.init(mode, new SecretKeySpec(k, "ChaCha20"), new IvParameterSpec(nonce));
        } finally {
            Bytes.wipe(k);
        }
        return c;
    }
}
