package dev.postvault.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Hand-written test messages and helpers that compute expectations without the parser. */
final class Fixtures {
    private Fixtures() {}

    /** Converts LF to CRLF. */
    static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Offset of a marker that must occur exactly once. */
    static int at(String msg, String marker) {
        int i = msg.indexOf(marker);
        assertThat(i).as("marker %s present", marker).isGreaterThanOrEqualTo(0);
        assertThat(msg.indexOf(marker, i + 1)).as("marker %s unique", marker).isEqualTo(-1);
        return i;
    }

    /** Offset just after a unique marker. */
    static int after(String msg, String marker) {
        return at(msg, marker) + marker.length();
    }

    static final String SIMPLE = crlf("""
            From: John Doe <jdoe@machine.example>
            Subject: Saying Hello
            Date: Fri, 21 Nov 1997 09:55:06 -0600

            This is a message just to say hello.
            So, "Hello".
            """);

    static final String ALTERNATIVE = crlf("""
            From: a@example.com
            Subject: alt
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            plain body
            --b1
            Content-Type: text/html; charset=utf-8

            <p>html body</p>
            --b1--
            """);

    static final String ATTACHMENT_BASE64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
            + "NTY3ODkhQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";

    static final String MIXED = crlf("""
            From: a@example.com
            Content-Type: multipart/mixed; boundary=XYZ

            --XYZ
            Content-Type: text/plain

            see attached
            --XYZ
            Content-Type: application/pdf; name="doc.pdf"
            Content-Disposition: attachment; filename="doc.pdf"
            Content-Transfer-Encoding: base64

            """) + ATTACHMENT_BASE64 + crlf("""

            --XYZ--
            """);

    static final String NESTED = crlf("""
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain

            inner plain
            --inner
            Content-Type: text/html

            <b>inner html</b>
            --inner--

            --outer
            Content-Type: image/png
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --outer--
            """);

    static final String RFC822 = crlf("""
            From: outer@example.com
            Subject: Fwd: inner
            Content-Type: multipart/mixed; boundary="fw"

            --fw
            Content-Type: text/plain

            forwarding
            --fw
            Content-Type: message/rfc822

            From: Inner Sender <inner@example.org>
            Subject: inner subject
            Content-Type: multipart/alternative; boundary=ib

            --ib
            Content-Type: text/plain

            inner text
            --ib
            Content-Type: text/html

            <i>inner html</i>
            --ib--
            --fw--
            """);

    static final String DIGEST = crlf("""
            Content-Type: multipart/digest; boundary=dg

            --dg

            From: one@example.com
            Subject: first

            first body
            --dg
            Content-Type: text/plain

            not a message
            --dg--
            """);

    static final String MISSING_FINAL = crlf("""
            Content-Type: multipart/mixed; boundary=mf

            --mf
            Content-Type: text/plain

            first
            --mf
            Content-Type: text/plain

            truncated here
            """);

    static final String PREAMBLE = crlf("""
            Content-Type: multipart/mixed; boundary=pb

            This is the preamble.
            --pb
            Content-Type: text/plain

            part one
            --pb--
            This is the epilogue.
            """);

    static final String LF_ONLY = """
            Content-Type: multipart/alternative; boundary=lf

            --lf
            Content-Type: text/plain

            lf plain
            --lf
            Content-Type: text/html

            <p>lf html</p>
            --lf--
            """;

    static List<String> all() {
        return List.of(SIMPLE, ALTERNATIVE, MIXED, NESTED, RFC822, DIGEST, MISSING_FINAL, PREAMBLE, LF_ONLY);
    }
}
