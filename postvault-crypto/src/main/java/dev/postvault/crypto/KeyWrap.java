package dev.postvault.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Wrapping the mailbox DEK (ARCHITECTURE.md §2): ChaCha20-Poly1305 under a KEK with the alias id as
 * associated data, so a wrapped DEK copied onto another alias does not unwrap. A password change or a
 * recovery key is just another wrap of the same DEK; the mailbox file is never rewritten.
 */
public final class KeyWrap {
    private static final String AAD_PREFIX = "postvault/v1/dek/";

    private KeyWrap() {}

    public static byte[] wrap(SecretKey32 kek, SecretKey32 dek, String aliasId) {
        byte[] d = dek.bytes();
        try {
            return Aead.seal(kek, d, aad(aliasId));
        } finally {
            Bytes.wipe(d);
        }
    }

    /** @throws CryptoException with {@code authenticationFailure()} when the KEK is wrong */
    public static SecretKey32 unwrap(SecretKey32 kek, byte[] wrapped, String aliasId) {
        byte[] d = Aead.open(kek, wrapped, aad(aliasId));
        try {
            return SecretKey32.of(d);
        } finally {
            Bytes.wipe(d);
        }
    }

    private static byte[] aad(String aliasId) {
        return (AAD_PREFIX + aliasId).getBytes(StandardCharsets.US_ASCII);
    }
}
