package dev.postvault.smtp.codec;

import java.util.Arrays;

/**
 * A growable byte buffer for one message that never holds more than {@code maxContentBytes} of
 * content (plus the trace header written first). Content past the limit is counted, not stored, and
 * marks the buffer as overflowed.
 */
public final class MessageBuffer {

    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final int maxContentBytes;
    private byte[] bytes;
    private int length;
    private int headerBytes;
    private long offeredContentBytes;

    public MessageBuffer(int maxContentBytes) {
        if (maxContentBytes < 0) {
            throw new IllegalArgumentException("maxContentBytes must not be negative");
        }
        this.maxContentBytes = maxContentBytes;
        this.bytes = new byte[Math.min(INITIAL_CAPACITY, Math.max(16, maxContentBytes))];
    }

    /** Writes a trace header that does not count against the content limit; only before any content. */
    public void writeHeader(byte[] header) {
        if (offeredContentBytes > 0) {
            throw new IllegalStateException("headers go before the content");
        }
        ensureCapacity(header.length);
        System.arraycopy(header, 0, bytes, length, header.length);
        length += header.length;
        headerBytes += header.length;
    }

    public void write(int b) {
        offeredContentBytes++;
        if (offeredContentBytes <= maxContentBytes) {
            ensureCapacity(1);
            bytes[length++] = (byte) b;
        }
    }

    public void write(byte[] source, int offset, int count) {
        long room = Math.max(0, maxContentBytes - offeredContentBytes);
        offeredContentBytes += count;
        int stored = (int) Math.min(room, count);
        if (stored > 0) {
            ensureCapacity(stored);
            System.arraycopy(source, offset, bytes, length, stored);
            length += stored;
        }
    }

    /** True once more content was offered than the limit allows. */
    public boolean overflowed() {
        return offeredContentBytes > maxContentBytes;
    }

    /** Content octets offered so far, stored or not (the trace header excluded). */
    public long contentBytes() {
        return offeredContentBytes;
    }

    /** Header plus stored content. */
    public byte[] toByteArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    private void ensureCapacity(int extra) {
        int needed = length + extra;
        if (needed > bytes.length) {
            long cap = Math.min((long) headerBytes + maxContentBytes, Math.max((long) bytes.length * 2, needed));
            bytes = Arrays.copyOf(bytes, (int) Math.max(cap, needed));
        }
    }
}
