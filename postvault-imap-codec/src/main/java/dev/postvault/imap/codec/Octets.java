package dev.postvault.imap.codec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string with value equality: literal data (APPEND messages, SASL responses)
 * carried by the command records. Never exposes its internal array.
 */
public final class Octets {

    private static final Octets EMPTY = new Octets(new byte[0]);

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    public static Octets of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Octets(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    public static Octets utf8(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Octets ascii(String text) {
        return wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    public static Octets empty() {
        return EMPTY;
    }

    /**
     * Takes ownership of {@code bytes}: the caller must not modify the array afterwards. For large
     * values (a FETCH of a whole message) where {@link #of}'s copy would hold the message twice.
     */
    public static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public InputStream inputStream() {
        return new ByteArrayInputStream(bytes);
    }

    public String decode(Charset charset) {
        return new String(bytes, charset);
    }

    /** The content as UTF-8, malformed sequences replaced; for logs and tests. */
    public String utf8() {
        return decode(StandardCharsets.UTF_8);
    }

    public boolean contains(byte value) {
        for (byte b : bytes) {
            if (b == value) {
                return true;
            }
        }
        return false;
    }

    /** Package-private view for writers inside the codec; never handed out. */
    byte[] array() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Octets o && Arrays.equals(bytes, o.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Octets[").append(bytes.length).append(": ");
        int shown = Math.min(bytes.length, 48);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.append(bytes.length > shown ? "...]" : "]").toString();
    }
}
