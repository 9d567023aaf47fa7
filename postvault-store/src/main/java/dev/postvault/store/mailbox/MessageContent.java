package dev.postvault.store.mailbox;

import dev.postvault.mime.Base64Layout;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MimePart;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a raw message into a skeleton and attachment blobs, and joins them back byte for byte.
 *
 * <p>Every leaf body of at least {@code blobThresholdBytes} becomes a blob. A base64 body whose line
 * layout re-encodes exactly ({@link Base64Layout#detect}) is stored decoded, so a 1 MB attachment costs
 * 1 MB rather than 1.37 MB and two mails carrying the same file with different line lengths still share
 * one blob; any other body is stored as it came. The skeleton is the rest of the message with each blob
 * replaced by its SHA-256 and layout.
 *
 * <p>Skeleton format: {@code u8 version=1}, then segments: {@code 0 u32 len bytes} (literal),
 * {@code 1 sha256[32]} (blob as stored), {@code 2 sha256[32] u16 n layout[n]} (base64 blob), {@code 255} end.
 */
final class MessageContent {
    private static final int VERSION = 1;

    record Blob(byte[] sha256, byte[] data) {}

    record Split(byte[] skeleton, List<Blob> blobs) {}

    private MessageContent() {}

    static Split split(byte[] raw, MessageStructure structure, int blobThresholdBytes) {
        List<MimePart> leaves = new ArrayList<>();
        collectLeaves(structure.root(), leaves, blobThresholdBytes);
        leaves.sort(Comparator.comparingLong(MimePart::bodyStart));
        var skeleton = new ByteArrayOutputStream(Math.min(raw.length, 64 * 1024));
        List<Blob> blobs = new ArrayList<>();
        try (var out = new DataOutputStream(skeleton)) {
            out.writeByte(VERSION);
            int pos = 0;
            for (MimePart p : leaves) {
                int start = (int) p.bodyStart();
                int end = (int) p.bodyEnd();
                if (start < pos) continue; // overlapping ranges cannot occur, but never corrupt a message
                literal(out, raw, pos, start);
                Optional<Base64Layout.Decoded> layout = "base64".equals(p.contentTransferEncoding())
                        ? Base64Layout.detectDecoding(raw, start, end)
                        : Optional.empty();
                if (layout.isPresent()) {
                    byte[] decoded = layout.get().data();
                    byte[] sha = sha256(decoded, 0, decoded.length);
                    byte[] l = layout.get().layout().toBytes();
                    out.writeByte(2);
                    out.write(sha);
                    out.writeShort(l.length);
                    out.write(l);
                    blobs.add(new Blob(sha, decoded));
                } else {
                    byte[] body = java.util.Arrays.copyOfRange(raw, start, end);
                    byte[] sha = sha256(body, 0, body.length);
                    out.writeByte(1);
                    out.write(sha);
                    blobs.add(new Blob(sha, body));
                }
                pos = end;
            }
            literal(out, raw, pos, raw.length);
            out.writeByte(255);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Split(skeleton.toByteArray(), blobs);
    }

    /** Where {@link #write} gets a blob's stored bytes; called once per reference, one blob at a time. */
    @FunctionalInterface
    interface BlobSource {
        byte[] load(byte[] sha256);
    }

    /** Rebuilds the raw message in memory; {@code blobs} maps hex SHA-256 to stored blob bytes. */
    static byte[] join(byte[] skeleton, Map<String, byte[]> blobs, long expectedSize) {
        var out = new ByteArrayOutputStream((int) Math.min(expectedSize, Integer.MAX_VALUE - 8));
        try {
            write(skeleton, sha -> blob(blobs, sha), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the raw message segment by segment, holding at most one blob (and its re-encoding) in
     * memory, and returns the number of bytes written.
     */
    static long write(byte[] skeleton, BlobSource blobs, OutputStream out) throws IOException {
        long written = 0;
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(skeleton))) {
            if (in.readUnsignedByte() != VERSION) throw new IllegalStateException("unknown skeleton version");
            while (true) {
                int kind = in.readUnsignedByte();
                byte[] segment = switch (kind) {
                    case 0 -> in.readNBytes(in.readInt());
                    case 1 -> blobs.load(in.readNBytes(32));
                    case 2 -> {
                        byte[] sha = in.readNBytes(32);
                        byte[] layout = in.readNBytes(in.readUnsignedShort());
                        yield Base64Layout.fromBytes(layout).encode(blobs.load(sha));
                    }
                    case 255 -> null;
                    default -> throw new IllegalStateException("bad skeleton segment " + kind);
                };
                if (segment == null) return written;
                out.write(segment);
                written += segment.length;
            }
        }
    }

    /**
     * The first {@code length} bytes of the message, when the skeleton holds them itself (they come
     * before any blob); a message's header always does, as blobs are leaf bodies.
     */
    static Optional<byte[]> prefix(byte[] skeleton, int length) {
        var out = new ByteArrayOutputStream(length);
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(skeleton))) {
            if (in.readUnsignedByte() != VERSION) throw new IllegalStateException("unknown skeleton version");
            while (out.size() < length) {
                if (in.readUnsignedByte() != 0) return Optional.empty();
                int n = in.readInt();
                byte[] literal = in.readNBytes(n);
                out.write(literal, 0, Math.min(n, length - out.size()));
            }
            return Optional.of(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob hashes a skeleton refers to, in order (with repeats). */
    static List<byte[]> blobRefs(byte[] skeleton) {
        List<byte[]> refs = new ArrayList<>();
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(skeleton))) {
            in.readUnsignedByte();
            while (true) {
                int kind = in.readUnsignedByte();
                switch (kind) {
                    case 0 -> in.skipNBytes(in.readInt());
                    case 1 -> refs.add(in.readNBytes(32));
                    case 2 -> {
                        refs.add(in.readNBytes(32));
                        in.skipNBytes(in.readUnsignedShort());
                    }
                    case 255 -> {
                        return refs;
                    }
                    default -> throw new IllegalStateException("bad skeleton segment " + kind);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] blob(Map<String, byte[]> blobs, byte[] sha) {
        byte[] b = blobs.get(java.util.HexFormat.of().formatHex(sha));
        if (b == null) throw new IllegalStateException("missing blob");
        return b;
    }

    private static void collectLeaves(MimePart p, List<MimePart> out, int threshold) {
        if (!p.children().isEmpty()) {
            for (MimePart c : p.children()) collectLeaves(c, out, threshold);
        } else if (p.encapsulated().isPresent()) {
            collectLeaves(p.encapsulated().get().root(), out, threshold);
        } else if (p.bodyEnd() - p.bodyStart() >= threshold) {
            out.add(p);
        }
    }

    private static void literal(DataOutputStream out, byte[] raw, int from, int to) throws IOException {
        if (to <= from) return;
        out.writeByte(0);
        out.writeInt(to - from);
        out.write(raw, from, to - from);
    }

    static byte[] sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
