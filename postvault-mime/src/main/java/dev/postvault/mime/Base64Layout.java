package dev.postvault.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How a base64 body was laid out in lines, so that the exact original bytes can be regenerated from the
 * decoded content: the store keeps an attachment's decoded bytes once and this small record per message.
 *
 * <p>The encoded form is: canonical base64 (RFC 4648 §4 alphabet with padding, as RFC 2045 §6.8
 * requires) cut into lines of {@code lineLengthChars} characters joined by {@code terminator}, then
 * the terminator again if {@code terminatorAfterLastLine}, then {@code trailer}.
 *
 * @param lineLengthChars characters per full line; 0 means the whole text is one line
 * @param trailer         whitespace and line breaks after the last line (only SP, HTAB, CR, LF)
 */
public record Base64Layout(int lineLengthChars, LineTerminator terminator, boolean terminatorAfterLastLine,
                           String trailer) {

    /** Line break used between base64 lines. */
    public enum LineTerminator {
        CRLF("\r\n"), LF("\n");

        private final byte[] bytes;

        LineTerminator(String s) {
            this.bytes = s.getBytes(StandardCharsets.US_ASCII);
        }

        public int lengthOctets() {
            return bytes.length;
        }

        byte[] bytes() {
            return bytes.clone();
        }
    }

    private static final byte FORMAT_VERSION = 1;

    public Base64Layout {
        if (lineLengthChars < 0) throw new IllegalArgumentException("negative line length");
        Objects.requireNonNull(terminator, "terminator");
        Objects.requireNonNull(trailer, "trailer");
        for (int i = 0; i < trailer.length(); i++) {
            if (!isWhitespace(trailer.charAt(i))) throw new IllegalArgumentException("trailer must be whitespace");
        }
    }

    /** {@link #detect(byte[], int, int)} on the body of {@code part}, if its encoding is base64. */
    public static Optional<Base64Layout> detect(byte[] raw, MimePart part) {
        if (!part.contentTransferEncoding().equals("base64")) return Optional.empty();
        return detect(raw, part.bodyStart(), part.bodyEnd());
    }

    /**
     * The layout of {@code src[from, to)}, only if re-encoding the decoded bytes with it reproduces the
     * range byte for byte. Empty for anything irregular: uneven line lengths, non-canonical padding or
     * trailing bits, characters outside the alphabet, whitespace inside lines, mixed line breaks.
     */
    public static Optional<Base64Layout> detect(byte[] src, int from, int to) {
        return detectDecoding(src, from, to).map(Decoded::layout);
    }

    /** A layout {@link #detect} found, with the bytes it decoded on the way (re-encoded, they are the range). */
    public record Decoded(Base64Layout layout, byte[] data) {}

    /** {@link #detect}, keeping the decoded bytes, so a caller that stores them does not decode twice. */
    public static Optional<Decoded> detectDecoding(byte[] src, int from, int to) {
        Objects.checkFromToIndex(from, to, src.length);
        int contentEnd = to;
        while (contentEnd > from && isWhitespace((char) src[contentEnd - 1])) contentEnd--;
        int firstLf = HeaderBlock.indexOf(src, from, contentEnd, (byte) '\n');
        LineTerminator terminator;
        int lineLength;
        if (firstLf >= 0) {
            boolean crlf = firstLf > from && src[firstLf - 1] == '\r';
            terminator = crlf ? LineTerminator.CRLF : LineTerminator.LF;
            lineLength = (crlf ? firstLf - 1 : firstLf) - from;
            if (lineLength <= 0) return Optional.empty();
        } else {
            lineLength = 0;
            terminator = startsWith(src, contentEnd, to, LineTerminator.LF.bytes)
                    ? LineTerminator.LF : LineTerminator.CRLF;
        }
        boolean finalTerminator = contentEnd > from && startsWith(src, contentEnd, to, terminator.bytes);
        int trailerStart = contentEnd + (finalTerminator ? terminator.bytes.length : 0);
        String trailer = new String(src, trailerStart, to - trailerStart, StandardCharsets.ISO_8859_1);
        Base64Layout layout = new Base64Layout(lineLength, terminator, finalTerminator, trailer);
        byte[] decoded = TransferEncoding.decodeBase64(src, from, contentEnd);
        byte[] again = layout.encode(decoded);
        return Arrays.equals(again, 0, again.length, src, from, to) ? Optional.of(new Decoded(layout, decoded)) : Optional.empty();
    }

    /** Encodes {@code decoded} with this layout. */
    public byte[] encode(byte[] decoded) {
        long total = encodedLength(decoded.length);
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("encoded form too large");
        byte[] out = new byte[(int) total];
        if (lineLengthChars % 4 == 0) {
            // The usual layouts (76 characters a line): the JDK's MIME encoder writes the lines and the
            // terminators between them in one pass, straight into the result. Rebuilding a message
            // for BODY[] spent most of its time here when the text was encoded, then copied line by line.
            Base64.Encoder lines = lineLengthChars == 0 ? Base64.getEncoder() : Base64.getMimeEncoder(lineLengthChars, terminator.bytes);
            int n = lines.encode(decoded, out);
            if (terminatorAfterLastLine && decoded.length > 0) n = put(terminator.bytes, out, n);
            n = put(trailer.getBytes(StandardCharsets.ISO_8859_1), out, n);
            assert n == out.length;
            return out;
        }
        byte[] chars = Base64.getEncoder().encode(decoded);
        int n = 0;
        int step = lineLengthChars == 0 ? Math.max(chars.length, 1) : lineLengthChars;
        for (int i = 0; i < chars.length; i += step) {
            if (i > 0) n = put(terminator.bytes, out, n);
            int len = Math.min(step, chars.length - i);
            System.arraycopy(chars, i, out, n, len);
            n += len;
        }
        if (terminatorAfterLastLine && chars.length > 0) n = put(terminator.bytes, out, n);
        byte[] tail = trailer.getBytes(StandardCharsets.ISO_8859_1);
        n = put(tail, out, n);
        assert n == out.length;
        return out;
    }

    /** Length in octets of {@link #encode} for a decoded length, without encoding. */
    public long encodedLength(long decodedLength) {
        if (decodedLength < 0) throw new IllegalArgumentException("negative length");
        long chars = (decodedLength + 2) / 3 * 4;
        long lines = chars == 0 ? 0 : lineLengthChars == 0 ? 1 : (chars + lineLengthChars - 1) / lineLengthChars;
        long terminators = Math.max(0, lines - 1) + (terminatorAfterLastLine && lines > 0 ? 1 : 0);
        return chars + terminators * terminator.bytes.length + trailer.length();
    }

    /** Compact persistent form: version, flags, line length and trailer (typically 4 bytes). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + trailer.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeByte((terminator == LineTerminator.LF ? 1 : 0) | (terminatorAfterLastLine ? 2 : 0));
            Varints.write(out, lineLengthChars);
            Varints.write(out, trailer.length());
            out.write(trailer.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the form written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid layout
     */
    public static Base64Layout fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) throw new IllegalArgumentException("unknown layout version " + version);
            int flags = in.readUnsignedByte();
            if ((flags & ~3) != 0) throw new IllegalArgumentException("unknown layout flags " + flags);
            int lineLength = Varints.readInt(in);
            int trailerLength = Varints.readInt(in);
            if (trailerLength > in.available()) throw new IllegalArgumentException("truncated layout");
            byte[] trailer = in.readNBytes(trailerLength);
            if (in.available() != 0) throw new IllegalArgumentException("trailing bytes after layout");
            return new Base64Layout(lineLength, (flags & 1) != 0 ? LineTerminator.LF : LineTerminator.CRLF,
                    (flags & 2) != 0, new String(trailer, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed layout", e);
        }
    }

    private static int put(byte[] src, byte[] dst, int at) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    private static boolean startsWith(byte[] src, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(src, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
