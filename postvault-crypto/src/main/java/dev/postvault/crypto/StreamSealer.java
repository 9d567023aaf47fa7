package dev.postvault.crypto;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Seals a message of any size to an alias's hybrid public key, streaming (ARCHITECTURE.md §2).
 *
 * <p>Format: {@code "PVS1" || u32 n || encapsulation(n) || chunk*}. Each chunk is
 * {@code u32 (last<<31 | length) || ChaCha20-Poly1305(content key, nonce, plaintext)}, at most
 * {@link #CHUNK_BYTES} of plaintext. The nonce is the chunk counter with the "last" flag in its first
 * byte (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár), so chunks cannot be
 * reordered, dropped or truncated without failing authentication. The content key is fresh per message,
 * derived from the hybrid KEM.
 */
public final class StreamSealer {
    public static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] MAGIC = "PVS1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_AAD = new byte[0];
    private static final int LAST = 0x8000_0000;

    private StreamSealer() {}

    /** Seals everything {@code plaintext} yields into {@code sealed}; returns the plaintext length. */
    public static long seal(HybridKem.PublicKeys recipient, InputStream plaintext, OutputStream sealed) {
        HybridKem.Encapsulated e = HybridKem.encapsulate(recipient);
        try {
            var out = new DataOutputStream(sealed);
            out.write(MAGIC);
            byte[] enc = e.encapsulation().encode();
            out.writeInt(enc.length);
            out.write(enc);
            return writeChunks(e.key(), plaintext, out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            e.key().destroy();
        }
    }

    /**
     * Opens a sealed stream into {@code plaintext}. Output is written chunk by chunk as each chunk
     * authenticates, so a caller must treat the output as untrusted until this returns normally.
     *
     * @throws CryptoException if the stream was modified, truncated or sealed to another key
     */
    public static long open(HybridKem.PrivateKeys keys, HybridKem.PublicKeys ownPublic, InputStream sealed, OutputStream plaintext) {
        try {
            var in = new DataInputStream(sealed);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) throw CryptoException.malformed("not a sealed message");
            byte[] enc = HybridKem.readBlock(in, 1 << 16);
            SecretKey32 key = HybridKem.decapsulate(keys, ownPublic, HybridKem.Encapsulation.decode(enc));
            try {
                return readChunks(key, in, plaintext);
            } finally {
                key.destroy();
            }
        } catch (EOFException ex) {
            throw CryptoException.authentication("sealed message truncated");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static long writeChunks(SecretKey32 key, InputStream in, DataOutputStream out) throws IOException {
        byte[] buf = new byte[CHUNK_BYTES];
        byte[] next = new byte[CHUNK_BYTES];
        int n = in.readNBytes(buf, 0, CHUNK_BYTES);
        long total = 0;
        long counter = 0;
        while (true) {
            int m = n == CHUNK_BYTES ? in.readNBytes(next, 0, CHUNK_BYTES) : 0;
            boolean last = m == 0;
            byte[] ct = Aead.encrypt(key, nonce(counter++, last), buf, 0, n, NO_AAD);
            out.writeInt((last ? LAST : 0) | ct.length);
            out.write(ct);
            total += n;
            if (last) break;
            byte[] t = buf;
            buf = next;
            next = t;
            n = m;
        }
        out.flush();
        return total;
    }

    private static long readChunks(SecretKey32 key, DataInputStream in, OutputStream out) throws IOException {
        long total = 0;
        long counter = 0;
        while (true) {
            int header = in.readInt();
            boolean last = (header & LAST) != 0;
            int len = header & ~LAST;
            if (len < Aead.TAG_BYTES || len > CHUNK_BYTES + Aead.TAG_BYTES) throw CryptoException.authentication("bad chunk length");
            byte[] ct = in.readNBytes(len);
            if (ct.length != len) throw CryptoException.authentication("sealed message truncated");
            byte[] pt = Aead.decrypt(key, nonce(counter++, last), ct, 0, len, NO_AAD);
            out.write(pt);
            total += pt.length;
            if (last) {
                if (in.read() != -1) throw CryptoException.authentication("data after the last chunk");
                return total;
            }
        }
    }

    private static byte[] nonce(long counter, boolean last) {
        byte[] n = new byte[Aead.NONCE_BYTES];
        n[0] = (byte) (last ? 1 : 0);
        for (int i = 0; i < 8; i++) n[Aead.NONCE_BYTES - 1 - i] = (byte) (counter >>> (8 * i));
        return n;
    }
}
