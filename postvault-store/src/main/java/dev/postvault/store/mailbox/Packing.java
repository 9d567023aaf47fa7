package dev.postvault.store.mailbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Deflate for the small per-message columns (skeletons, cached structures). Once attachments are
 * de-duplicated, headers are most of what a message costs, and a header of one or two kilobytes is
 * too short for deflate to find much repetition in itself; a preset dictionary of the field names and
 * values common in mail (RFC 1951 §3.2.5 lets a match reach back into it) supplies that history.
 *
 * <p>Format, by the first byte: {@code 0 || bytes} stored as is; {@code 1 || raw deflate};
 * {@code 2 || raw deflate} with dictionary v1 ({@code header-dictionary-v1.txt}, LF turned into CRLF
 * as in messages). A dictionary is part of the file format: it never changes once released (its
 * SHA-256 is checked on load); a better one becomes format 3, and the old ones stay readable.
 */
final class Packing {
    private static final byte STORED = 0;
    private static final byte DEFLATE = 1;
    private static final byte DEFLATE_DICTIONARY_V1 = 2;

    static final String DICTIONARY_V1_SHA256 = "9d5f6d59a3cf7b8e34ded31f70079db476dea6a97961716492b849546835fdbb";
    static final byte[] DICTIONARY_V1 = dictionary("header-dictionary-v1.txt", DICTIONARY_V1_SHA256);

    private Packing() {}

    static byte[] pack(byte[] data) {
        Deflater d = new Deflater(6, true);
        try {
            d.setDictionary(DICTIONARY_V1);
            d.setInput(data);
            d.finish();
            var out = new ByteArrayOutputStream(data.length / 2 + 16);
            out.write(DEFLATE_DICTIONARY_V1);
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
        return stored(data);
    }

    /**
     * Stored as is, in the packed format ({@code 0 || bytes}): for small columns read in bulk, such
     * as envelopes, where inflating costs more per row than the few bytes it would save.
     */
    static byte[] stored(byte[] data) {
        byte[] plain = new byte[data.length + 1];
        System.arraycopy(data, 0, plain, 1, data.length);
        return plain;
    }

    static byte[] unpack(byte[] packed) {
        try (var unpacker = new Unpacker()) {
            return unpacker.unpack(packed);
        }
    }

    /**
     * Unpacks one column after another with one {@link Inflater}, as a command that reads thousands
     * of rows does; not thread-safe. Besides whole columns, it answers whether a column holds a byte
     * string while inflating only as far as the first occurrence.
     */
    static final class Unpacker implements AutoCloseable {
        private static final int CHUNK = 16 * 1024;
        private final Inflater inf = new Inflater(true);
        private byte[] window = new byte[CHUNK + 64];

        byte[] unpack(byte[] packed) {
            if (packed.length == 0) throw new IllegalStateException("empty packed column");
            if (packed[0] == STORED) return java.util.Arrays.copyOfRange(packed, 1, packed.length);
            start(packed);
            var out = new ByteArrayOutputStream(packed.length * 4);
            try {
                while (!inf.finished()) {
                    int n = inflate(window, 0, CHUNK);
                    out.write(window, 0, n);
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException("corrupt packed column", e);
            }
            return out.toByteArray();
        }

        /** Whether the unpacked column contains {@code needle}. */
        boolean contains(byte[] packed, byte[] needle) {
            if (needle.length == 0) return true;
            if (packed.length == 0) throw new IllegalStateException("empty packed column");
            if (packed[0] == STORED) return SearchTexts.indexOf(packed, 1, packed.length, needle) >= 0;
            start(packed);
            if (window.length < CHUNK + needle.length) window = new byte[CHUNK + needle.length];
            int keep = 0; // the tail of the previous chunk, where a match may begin
            try {
                while (!inf.finished()) {
                    int len = keep + inflate(window, keep, CHUNK);
                    if (SearchTexts.indexOf(window, 0, len, needle) >= 0) return true;
                    keep = Math.min(needle.length - 1, len);
                    System.arraycopy(window, len - keep, window, 0, keep);
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException("corrupt packed column", e);
            }
            return false;
        }

        private void start(byte[] packed) {
            inf.reset();
            switch (packed[0]) {
                case DEFLATE -> { }
                case DEFLATE_DICTIONARY_V1 -> inf.setDictionary(DICTIONARY_V1);
                default -> throw new IllegalStateException("unknown packing " + packed[0]);
            }
            inf.setInput(packed, 1, packed.length - 1);
        }

        private int inflate(byte[] into, int off, int len) throws DataFormatException {
            int n = inf.inflate(into, off, len);
            if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) throw new IllegalStateException("truncated packed column");
            return n;
        }

        @Override
        public void close() {
            inf.end();
        }
    }

    private static byte[] dictionary(String resource, String sha256) {
        byte[] text;
        try (InputStream in = Packing.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing " + resource);
            text = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] crlf = new String(text, StandardCharsets.US_ASCII).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(crlf));
            if (!actual.equals(sha256)) throw new IllegalStateException(resource + " changed (SHA-256 " + actual + "): stored mail depends on it");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return crlf;
    }
}
