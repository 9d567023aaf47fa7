package dev.postvault.imap.codec;

import java.util.Arrays;

/**
 * One line read by {@link WireInput}: the content up to a limit, and, once the limit is passed,
 * the last {@link #TAIL_BYTES} octets of the line (enough to spot a literal marker) while the rest
 * is discarded.
 */
final class LineBuffer {

    static final int TAIL_BYTES = 32;

    private byte[] bytes = new byte[512];
    private int length;
    private int limit;
    private boolean overflow;
    private final byte[] ring = new byte[TAIL_BYTES];
    private long ringCount;

    void reset(int maxBytes) {
        length = 0;
        limit = maxBytes;
        overflow = false;
        ringCount = 0;
    }

    void append(byte[] source, int offset, int count) {
        int fits = overflow ? 0 : Math.min(count, limit + 1 - length); // +1: room for a CR before LF
        if (fits > 0) {
            ensureCapacity(length + fits);
            System.arraycopy(source, offset, bytes, length, fits);
            length += fits;
        }
        if (fits < count) {
            overflow = true;
            for (int i = offset + Math.max(fits, 0); i < offset + count; i++) {
                ring[(int) (ringCount++ % TAIL_BYTES)] = source[i];
            }
        }
    }

    /** Called at LF: drops the CR of CRLF and decides whether the line fit. */
    void finishLine() {
        if (overflow) {
            if (ringCount > 0 && ring[(int) ((ringCount - 1) % TAIL_BYTES)] == '\r') {
                ringCount--;
            }
            return;
        }
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        if (length > limit) {
            overflow = true;
            ring[(int) (ringCount++ % TAIL_BYTES)] = bytes[--length];
        }
    }

    boolean overflow() {
        return overflow;
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    byte byteAt(int index) {
        return bytes[index];
    }

    /** The last octets of the whole line, including discarded ones. */
    byte[] tail() {
        if (!overflow) {
            return Arrays.copyOfRange(bytes, Math.max(0, length - TAIL_BYTES), length);
        }
        int fromRing = (int) Math.min(ringCount, TAIL_BYTES);
        int fromContent = Math.min(length, TAIL_BYTES - fromRing);
        byte[] tail = new byte[fromContent + fromRing];
        System.arraycopy(bytes, length - fromContent, tail, 0, fromContent);
        for (int i = 0; i < fromRing; i++) {
            tail[fromContent + i] = ring[(int) ((ringCount - fromRing + i) % TAIL_BYTES)];
        }
        return tail;
    }

    boolean containsNul() {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }
}
