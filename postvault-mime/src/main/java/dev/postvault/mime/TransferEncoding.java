package dev.postvault.mime;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Content-Transfer-Encoding decoding (RFC 2045 §6). Lenient: bad input yields best-effort bytes, never
 * an exception. Unknown encodings and 7bit/8bit/binary are returned unchanged (RFC 2045 §6.4).
 */
public final class TransferEncoding {
    private TransferEncoding() {}

    /** The decoded body of {@code part}, read from {@code raw} at the part's body offsets. */
    public static byte[] decode(byte[] raw, MimePart part) {
        Objects.requireNonNull(raw, "raw");
        int from = Math.min(part.bodyStart(), raw.length);
        int to = Math.min(Math.max(part.bodyEnd(), from), raw.length);
        return decode(raw, from, to, part.contentTransferEncoding());
    }

    /** Decodes {@code src[from, to)} as the named transfer encoding (case-insensitive). */
    public static byte[] decode(byte[] src, int from, int to, String encoding) {
        Objects.checkFromToIndex(from, to, src.length);
        return switch (encoding.strip().toLowerCase(Locale.ROOT)) {
            case "base64" -> decodeBase64(src, from, to);
            case "quoted-printable" -> decodeQuotedPrintable(src, from, to);
            default -> Arrays.copyOfRange(src, from, to);
        };
    }

    /**
     * RFC 2045 §6.8: characters outside the base64 alphabet are ignored; decoding stops at the first
     * '='; a trailing group of 2 or 3 characters yields 1 or 2 bytes, a lone trailing character none.
     */
    public static byte[] decodeBase64(byte[] src, int from, int to) {
        Objects.checkFromToIndex(from, to, src.length);
        byte[] out = new byte[(to - from) / 4 * 3 + 3];
        int n = 0;
        int acc = 0;
        int bits = 0;
        int i = from;
        while (i < to) {
            if (bits == 0) {
                // Between line breaks, whole groups of four: three octets at a time (acc is empty here).
                for (; i + 4 <= to; i += 4) {
                    int a = BASE64[src[i] & 0xFF], b = BASE64[src[i + 1] & 0xFF], c = BASE64[src[i + 2] & 0xFF], d = BASE64[src[i + 3] & 0xFF];
                    if ((a | b | c | d) < 0) break;
                    int group = a << 18 | b << 12 | c << 6 | d;
                    out[n] = (byte) (group >> 16);
                    out[n + 1] = (byte) (group >> 8);
                    out[n + 2] = (byte) group;
                    n += 3;
                }
                if (i >= to) break;
            }
            int v = BASE64[src[i++] & 0xFF];
            if (v == PAD) break;
            if (v < 0) continue; // RFC 2045 §6.8: ignore characters not in the alphabet (line breaks etc.)
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static final int PAD = -2;
    /** Each octet's base64 value; -1 outside the alphabet, {@link #PAD} for '='. */
    private static final byte[] BASE64 = new byte[256];

    static {
        Arrays.fill(BASE64, (byte) -1);
        for (int b = 0; b < 256; b++) {
            if (b >= 'A' && b <= 'Z') BASE64[b] = (byte) (b - 'A');
            else if (b >= 'a' && b <= 'z') BASE64[b] = (byte) (b - 'a' + 26);
            else if (b >= '0' && b <= '9') BASE64[b] = (byte) (b - '0' + 52);
        }
        BASE64['+'] = 62;
        BASE64['/'] = 63;
        BASE64['='] = PAD;
    }

    static int base64Value(byte b) {
        return BASE64[b & 0xFF];
    }

    /**
     * RFC 2045 §6.7: {@code =XX} is an octet (lower-case hex accepted), {@code =} at the end of a line is a
     * soft line break, trailing whitespace on a line is dropped (rule 3); a malformed {@code =} is kept
     * literally. Hard line breaks are kept as they are in the source (CRLF or LF).
     */
    public static byte[] decodeQuotedPrintable(byte[] src, int from, int to) {
        Objects.checkFromToIndex(from, to, src.length);
        byte[] out = new byte[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            int lineEnd = HeaderBlock.lineEnd(src, i, to);
            int contentEnd = HeaderBlock.contentEnd(src, i, lineEnd);
            int e = contentEnd;
            // RFC 2045 §6.7 rule 3: transport-added trailing whitespace is deleted.
            while (e > i && (src[e - 1] == ' ' || src[e - 1] == '\t')) e--;
            boolean soft = false;
            for (int j = i; j < e; j++) {
                byte b = src[j];
                if (b != '=') {
                    out[n++] = b;
                } else if (j == e - 1) {
                    soft = true; // RFC 2045 §6.7 rule 5: "=" at the end of an encoded line is a soft break.
                } else if (j + 2 < e && hex(src[j + 1]) >= 0 && hex(src[j + 2]) >= 0) {
                    out[n++] = (byte) (hex(src[j + 1]) << 4 | hex(src[j + 2]));
                    j += 2;
                } else {
                    out[n++] = b; // malformed escape: keep the "=" literally
                }
            }
            if (!soft) {
                for (int j = contentEnd; j < lineEnd; j++) out[n++] = src[j];
            }
            i = lineEnd;
        }
        return Arrays.copyOf(out, n);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        return -1;
    }
}
