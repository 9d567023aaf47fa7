package dev.postvault.imap.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Buffered blocking reads of lines and counted octets. Reads from the stream only when its
 * buffer is empty and more is needed, so it never blocks waiting for octets the client has not
 * been asked for.
 */
final class WireInput {

    enum LineStatus { COMPLETE, END_OF_STREAM }

    private static final int BUFFER_BYTES = 8192;
    /** Literal buffers grow by doubling from here, so an announced size alone commits no memory. */
    private static final int FIRST_CHUNK_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean endOfStream;

    WireInput(InputStream in) {
        this.in = Objects.requireNonNull(in);
    }

    /**
     * Reads one line (RFC 9051 §2.2: lines end in CRLF; a bare LF is accepted) into {@code line},
     * keeping at most {@code maxBytes} octets of content.
     */
    LineStatus readLine(LineBuffer line, int maxBytes) {
        line.reset(maxBytes);
        while (true) {
            if (!fill()) {
                return LineStatus.END_OF_STREAM;
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            line.append(buffer, position, end - position);
            if (end < limit) {
                position = end + 1;
                line.finishLine();
                return LineStatus.COMPLETE;
            }
            position = limit;
        }
    }

    /** Reads exactly {@code count} octets; {@link EndOfInput} if the stream ends first. */
    byte[] readExactly(int count) {
        byte[] data = new byte[Math.min(count, FIRST_CHUNK_BYTES)];
        int filled = 0;
        while (filled < count) {
            if (!fill()) {
                throw new EndOfInput();
            }
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, (long) data.length * 2));
            }
            int n = Math.min(limit - position, data.length - filled);
            System.arraycopy(buffer, position, data, filled, n);
            position += n;
            filled += n;
        }
        return data;
    }

    /** Reads and drops {@code count} octets; false if the stream ended first. */
    boolean skip(long count) {
        long remaining = count;
        while (remaining > 0) {
            if (!fill()) {
                return false;
            }
            int n = (int) Math.min(remaining, limit - position);
            position += n;
            remaining -= n;
        }
        return true;
    }

    int bufferedBytes() {
        return limit - position;
    }

    byte[] takeBuffered() {
        byte[] taken = Arrays.copyOfRange(buffer, position, limit);
        position = limit;
        return taken;
    }

    private boolean fill() {
        if (position < limit) {
            return true;
        }
        if (endOfStream) {
            return false;
        }
        try {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                // InputStream.read blocks until at least one octet or returns -1; treat 0 as the end
                // rather than spinning on a broken stream.
                endOfStream = true;
                return false;
            }
            position = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
