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
