package dev.postvault.store.mailbox;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Optional deflate for the small per-message columns (skeletons, cached structures). Header lines
 * compress about twofold, which matters once attachments are de-duplicated: then headers are most of
 * what each message costs. Format: {@code 0 || bytes} stored as is, {@code 1 || raw deflate}.
 */
final class Packing {
    private Packing() {}

    static byte[] pack(byte[] data) {
        Deflater d = new Deflater(6, true);
        try {
            d.setInput(data);
            d.finish();
            var out = new ByteArrayOutputStream(data.length / 2 + 16);
            out.write(1);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
                if (out.size() > data.length) break;
            }
            if (d.finished() && out.size() < data.length + 1) return out.toByteArray();
        } finally {
            d.end();
        }
        byte[] plain = new byte[data.length + 1];
        System.arraycopy(data, 0, plain, 1, data.length);
        return plain;
    }

    static byte[] unpack(byte[] packed) {
        if (packed.length == 0) throw new IllegalStateException("empty packed column");
        if (packed[0] == 0) return java.util.Arrays.copyOfRange(packed, 1, packed.length);
        if (packed[0] != 1) throw new IllegalStateException("unknown packing " + packed[0]);
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(packed, 1, packed.length - 1);
            var out = new ByteArrayOutputStream(packed.length * 3);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new IllegalStateException("truncated packed column");
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt packed column", e);
        } finally {
            inf.end();
        }
    }
}
