package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageTextTest {

    /** Builds a message from ASCII text with inserted raw byte chunks. */
    private static byte[] message(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : pieces) {
            byte[] b = p instanceof byte[] raw ? raw : crlf((String) p).getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static String text(byte[] raw) {
        return MessageText.extract(raw, MimeParser.parse(raw), 10_000);
    }

    @Test
    void headersAndBase64Utf8Body() {
        String b64 = Base64.getMimeEncoder().encodeToString("Gr\u00fc\u00dfe aus K\u00f6ln \u20ac".getBytes(StandardCharsets.UTF_8));
        byte[] raw = message("""
                From: =?utf-8?q?J=C3=B6rg?= <joerg@example.de>
                To: Anna <anna@example.com>, Team: bob@example.com;
                Cc: carol@example.com
                Subject: =?iso-8859-1?q?R=E9union?=
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: base64

                """, b64, "\n");
        assertThat(text(raw)).isEqualTo(String.join("\n", "R\u00e9union", "J\u00f6rg", "joerg@example.de", "Anna",
                "anna@example.com", "Team", "bob@example.com", "carol@example.com",
                "Gr\u00fc\u00dfe aus K\u00f6ln \u20ac"));
    }

    @Test
    void quotedPrintableIso88591() {
        byte[] raw = message("""
                Content-Type: text/plain; charset="ISO-8859-1"
                Content-Transfer-Encoding: quoted-printable

                Caf=E9 cr=E8me br=FBl=E9e, tr=
                =E8s bien
                """);
        assertThat(text(raw)).isEqualTo("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, tr\u00e8s bien");
    }

    @Test
    void eightBitBodiesWithMissingOrUnknownCharsets() {
        byte[] utf8 = message("Content-Type: text/plain\n\n", "na\u00efve \u2713\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(text(utf8)).isEqualTo("na\u00efve \u2713");
        byte[] latin1 = message("Content-Type: text/plain; charset=x-bogus\n\n",
                "na\u00efve\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(text(latin1)).isEqualTo("na\u00efve");
        byte[] declaredUtf8 = message("Content-Type: text/plain; charset=utf-8\n\n", new byte[] {'a', (byte) 0xff, 'b'});
        assertThat(text(declaredUtf8)).isEqualTo("a\ufffdb");
        assertThat(MessageText.decodeCharset("\u00e9".getBytes(StandardCharsets.ISO_8859_1), Optional.of("latin1")))
                .isEqualTo("\u00e9");
        assertThat(MessageText.decodeCharset(new byte[] {(byte) 0x80}, Optional.of("windows-1252"))).isEqualTo("\u20ac");
    }

    @Test
    void htmlTagsStrippedAndEntitiesDecoded() {
        byte[] raw = message("""
                Content-Type: text/html; charset=utf-8

                <html><head><title>T</title><style>p { color: red; }</style>
                <script>var x = "<b>hidden</b>";</script></head>
                <body><p>Fish &amp; Chips&nbsp;&lt;3 &gt; &quot;q&quot; &#65;&#x42;&#x1F600; caf&eacute;</p>
                <!-- a comment --><div>a < b</div>&unknown; &amp</body></html>
                """);
        assertThat(text(raw)).isEqualTo("T\nFish & Chips <3 > \"q\" AB\uD83D\uDE00 caf\u00e9\na < b\n&unknown; &amp");
    }

    @Test
    void recursesIntoAlternativesAttachmentsAndMessages() {
        byte[] raw = Fixtures.bytes(Fixtures.RFC822);
        assertThat(text(raw)).isEqualTo(String.join("\n", "Fwd: inner", "outer@example.com", "forwarding",
                "inner subject", "Inner Sender", "inner@example.org", "inner text", "inner html"));
        byte[] mixed = Fixtures.bytes(Fixtures.MIXED);
        assertThat(text(mixed)).isEqualTo("a@example.com\nsee attached"); // the pdf is skipped
    }

    @Test
    void stopsAtMaxChars() {
        byte[] raw = Fixtures.bytes(Fixtures.ALTERNATIVE);
        MessageStructure s = MimeParser.parse(raw);
        String full = MessageText.extract(raw, s, 10_000);
        assertThat(full).isEqualTo("alt\na@example.com\nplain body\nhtml body");
        for (int n = 0; n <= full.length(); n++) {
            String cut = MessageText.extract(raw, s, n);
            // A prefix of the full text; only a dangling separator may be dropped.
            assertThat(full).startsWith(cut);
            assertThat(cut.length()).isBetween(Math.max(0, n - 1), n);
            assertThat(cut).doesNotEndWith("\n");
        }
        assertThatThrownBy(() -> MessageText.extract(raw, s, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
