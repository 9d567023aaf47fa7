package dev.postvault.crypto;

import java.util.Arrays;

/**
 * A 256-bit symmetric key (a DEK, KEK or derived subkey). Holds its own copy of the bytes, never prints
 * them, and can be wiped. Equality is by value in constant time so tests can compare keys.
 */
public final class SecretKey32 {
    public static final int LENGTH = 32;
    private final byte[] bytes;

    private SecretKey32(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretKey32 of(byte[] bytes) {
        if (bytes.length != LENGTH) throw CryptoException.malformed("a key is 32 bytes, got " + bytes.length);
        return new SecretKey32(bytes.clone());
    }

    public static SecretKey32 random() {
        return new SecretKey32(Bytes.random(LENGTH));
    }

    /** A copy of the key bytes; callers wipe it when done. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key as 64 hex digits, for SQLite3MultipleCiphers' {@code key=raw:} URI parameter. */
    public String hex() {
        return Bytes.hex(bytes);
    }

    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretKey32 k && Bytes.constantTimeEquals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return 0; // never leak key bits through hash codes
    }

    @Override
    public String toString() {
        return "SecretKey32[redacted]";
    }
}
