package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransferEncodingTest {

    private static String qp(String s) {
        byte[] b = bytes(s);
        return new String(TransferEncoding.decode(b, 0, b.length, "Quoted-Printable"), StandardCharsets.ISO_8859_1);
    }

    private static String b64(String s) {
        byte[] b = bytes(s);
        return new String(TransferEncoding.decode(b, 0, b.length, "BASE64"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void quotedPrintable() {
        assertThat(qp("caf=C3=A9 =3D ok")).isEqualTo("caf\u00c3\u00a9 = ok");
        assertThat(qp("soft=\r\nbreak")).isEqualTo("softbreak");
        assertThat(qp("soft=  \r\nbreak=\nlf")).isEqualTo("softbreaklf");
        assertThat(qp("hard  \r\nbreak\t\r\n")).isEqualTo("hard\r\nbreak\r\n");
        assertThat(qp("lower=e9 bad=ZZ end=")).isEqualTo("lower\u00e9 bad=ZZ end");
        assertThat(qp("trunc=4")).isEqualTo("trunc=4");
    }

    @Test
    void base64IsLenient() {
        assertThat(b64("SGVsbG8sIHdvcmxk")).isEqualTo("Hello, world");
        assertThat(b64("SGVs\r\nbG8s\nIHdv cm*xk")).isEqualTo("Hello, world");
        assertThat(b64("SGVsbG8=")).isEqualTo("Hello");
        assertThat(b64("SGVsbG8")).isEqualTo("Hello");
        assertThat(b64("SGVsbA==garbage")).isEqualTo("Hell");
        assertThat(b64("S")).isEmpty();
        assertThat(b64("")).isEmpty();
    }

    /**
     * The decoder takes whole groups of four at a time where it can; it must give what reading one
     * character at a time gives (RFC 2045 §6.8, the rules above) for any mix of line breaks, junk
     * characters, misplaced padding and lines of any length.
     */
    @Test
    void base64GroupsAtATimeAgreeWithOneCharacterAtATime() {
        java.util.Random r = new java.util.Random(7);
        byte[] alphabet = bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        byte[] noise = bytes("\r\n \t*-=.");
        for (int round = 0; round < 5000; round++) {
            byte[] data = new byte[r.nextInt(600)];
            r.nextBytes(data);
            byte[] clean = java.util.Base64.getMimeEncoder(4 * (1 + r.nextInt(25)), bytes(r.nextBoolean() ? "\r\n" : "\n")).encode(data);
            byte[] src = clean.clone();
            for (int k = r.nextInt(4); k > 0 && src.length > 0; k--) {
                byte[] pool = r.nextBoolean() ? alphabet : noise;
                src[r.nextInt(src.length)] = pool[r.nextInt(pool.length)];
            }
            int from = src.length == 0 ? 0 : r.nextInt(Math.min(src.length, 9));
            assertThat(TransferEncoding.decodeBase64(src, from, src.length)).as("round %d", round).isEqualTo(oneAtATime(src, from, src.length));
            if (round % 10 == 0) assertThat(TransferEncoding.decodeBase64(clean, 0, clean.length)).isEqualTo(data);
        }
    }

    private static byte[] oneAtATime(byte[] src, int from, int to) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var out = new java.io.ByteArrayOutputStream();
        int acc = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            if (src[i] == '=') break;
            int v = alphabet.indexOf(src[i]);
            if (v < 0) continue;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return out.toByteArray();
    }

    @Test
    void identityForOtherEncodings() {
        byte[] raw = bytes("abc=41\r\n");
        assertThat(TransferEncoding.decode(raw, 0, raw.length, "8bit")).isEqualTo(raw);
        assertThat(TransferEncoding.decode(raw, 1, 3, "x-unknown")).isEqualTo(bytes("bc"));
    }

    @Test
    void decodesAPartsBody() {
        String m = Fixtures.crlf("Content-Transfer-Encoding: quoted-printable\n\nJ=C3=B6rg=\n!\n");
        byte[] raw = bytes(m);
        MimePart p = MimeParser.parse(raw).root();
        assertThat(new String(TransferEncoding.decode(raw, p), StandardCharsets.UTF_8)).isEqualTo("J\u00f6rg!\r\n");
    }
}
