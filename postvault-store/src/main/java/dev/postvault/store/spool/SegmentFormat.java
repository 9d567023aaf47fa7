package dev.postvault.store.spool;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The framing of a spool segment: a sequence of records, each
 * {@code "PVR1" | u32 body length | u32 CRC-32C of the 8 bytes before | body | u32 CRC-32C of body}.
 * The framing carries no secret (the body is sealed); it lets a reader without any key tell a
 * complete record from a torn tail or from damage:
 *
 * <ul>
 *   <li>a record is acknowledged only after it was written whole and fdatasync'd, so an incomplete
 *       record can only be the tail a crash (or a write still in progress) left behind;</li>
 *   <li>a body whose CRC fails is a damaged record: the header still says where the next one starts;</li>
 *   <li>a header that fails its CRC means the rest cannot be framed. Followed only by zeros (what a
 *       crash can leave past the last write) it is a torn tail; otherwise the segment is damaged.</li>
 * </ul>
 */
final class SegmentFormat {
    static final byte[] MAGIC = "PVR1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = 12;
    static final int TRAILER_BYTES = 4;
    /** Bodies up to this size are read into memory while scanning; larger ones are streamed twice. */
    static final int INLINE_BODY_BYTES = 2 * 1024 * 1024;

    private SegmentFormat() {}

    static byte[] header(int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(MAGIC).putInt(bodyLength);
        b.putInt(crc(b.array(), 0, 8));
        return b.array();
    }

    static byte[] trailer(int bodyCrc) {
        return ByteBuffer.allocate(TRAILER_BYTES).putInt(bodyCrc).array();
    }

    /** A whole record around {@code body}, ready to append in one write. */
    static byte[] record(byte[] body) {
        byte[] r = new byte[HEADER_BYTES + body.length + TRAILER_BYTES];
        System.arraycopy(header(body.length), 0, r, 0, HEADER_BYTES);
        System.arraycopy(body, 0, r, HEADER_BYTES, body.length);
        System.arraycopy(trailer(crc(body, 0, body.length)), 0, r, HEADER_BYTES + body.length, TRAILER_BYTES);
        return r;
    }

    static int crc(byte[] b, int off, int len) {
        var c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** What the scanner found next. */
    sealed interface Entry permits Complete, Damaged, End {}

    /** A whole record whose body passed its CRC; {@code body} is null when it was too large to keep. */
    record Complete(long bodyOffset, int bodyLength, byte[] body) implements Entry {}

    /** A record whose body failed its CRC; scanning goes on after it. */
    record Damaged(long offset) implements Entry {}

    /**
     * Nothing more can be read. {@code damaged} when unframeable bytes other than a torn tail remain
     * (the segment must then be set aside, not deleted).
     */
    record End(boolean damaged) implements Entry {}

    /** Reads a segment's records in order through positional reads (the channel's position is not used). */
    static final class Scanner {
        private final FileChannel ch;
        private final long size;
        private long pos;
        private boolean ended;

        Scanner(FileChannel ch) throws IOException {
            this.ch = ch;
            this.size = ch.size();
        }

        Entry next() throws IOException {
            if (ended) return new End(false);
            if (size - pos < HEADER_BYTES) return end(false); // empty, or a header torn by a crash
            byte[] h = read(pos, HEADER_BYTES);
            ByteBuffer hb = ByteBuffer.wrap(h);
            boolean framed = Arrays.equals(h, 0, 4, MAGIC, 0, 4) && hb.getInt(8) == crc(h, 0, 8) && hb.getInt(4) >= 0;
            if (!framed) return end(!zerosFrom(pos));
            int length = hb.getInt(4);
            long bodyOffset = pos + HEADER_BYTES;
            long next = bodyOffset + length + TRAILER_BYTES;
            if (next > size) return end(false); // the record's end was never written: a torn tail
            int stored = ByteBuffer.wrap(read(bodyOffset + length, TRAILER_BYTES)).getInt();
            byte[] body = null;
            int actual;
            if (length <= INLINE_BODY_BYTES) {
                body = read(bodyOffset, length);
                actual = crc(body, 0, length);
            } else {
                actual = streamCrc(bodyOffset, length);
            }
            long recordStart = pos;
            pos = next;
            return actual == stored ? new Complete(bodyOffset, length, body) : new Damaged(recordStart);
        }

        private Entry end(boolean damaged) {
            ended = true;
            return new End(damaged);
        }

        private boolean zerosFrom(long from) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            for (long p = from; p < size; ) {
                buf.clear();
                int n = ch.read(buf, p);
                if (n <= 0) break;
                for (int i = 0; i < n; i++) if (buf.get(i) != 0) return false;
                p += n;
            }
            return true;
        }

        private int streamCrc(long offset, int length) throws IOException {
            var c = new CRC32C();
            try (InputStream in = region(ch, offset, length)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) c.update(buf, 0, n);
            }
            return (int) c.getValue();
        }

        private byte[] read(long offset, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) throw new EOFException("segment shrank while being read");
            }
            return b.array();
        }
    }

    /** A part of a file as a stream, by positional reads, so several can be open on one channel. */
    static InputStream region(FileChannel ch, long offset, long length) {
        return new InputStream() {
            private long pos = offset;
            private final long end = offset + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) return -1;
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
                if (n < 0) throw new EOFException("segment shrank while being read");
                pos += n;
                return n;
            }
        };
    }
}
