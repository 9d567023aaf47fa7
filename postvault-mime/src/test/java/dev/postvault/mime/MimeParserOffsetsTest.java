package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.after;
import static dev.postvault.mime.Fixtures.at;
import static dev.postvault.mime.Fixtures.bytes;
import static dev.postvault.mime.Fixtures.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MimeParserOffsetsTest {

    private static void assertPart(MimePart p, int headerStart, int headerEnd, int bodyEnd, int lines) {
        assertThat(p.headerStart()).as("headerStart").isEqualTo(headerStart);
        assertThat(p.headerEnd()).as("headerEnd").isEqualTo(headerEnd);
        assertThat(p.bodyStart()).as("bodyStart").isEqualTo(headerEnd);
        assertThat(p.bodyEnd()).as("bodyEnd").isEqualTo(bodyEnd);
        assertThat(p.bodyLines()).as("bodyLines").isEqualTo(lines);
    }

    @Test
    void simpleTextMessage() {
        String m = Fixtures.SIMPLE;
        MessageStructure s = MimeParser.parse(bytes(m));
        MimePart root = s.root();
        assertPart(root, 0, at(m, "This is a message"), m.length(), 2);
        assertThat(root.headerSizeOctets()).isEqualTo(at(m, "This is a message"));
        assertThat(root.bodySizeOctets()).isEqualTo(m.length() - at(m, "This is a message"));
        assertThat(root.contentType()).isEqualTo(ContentType.TEXT_PLAIN);
        assertThat(root.params()).containsExactly(Map.entry("charset", "us-ascii"));
        assertThat(root.contentTransferEncoding()).isEqualTo("7bit");
        assertThat(root.children()).isEmpty();
        assertThat(root.encapsulated()).isEmpty();
    }

    @Test
    void multipartAlternative() {
        String m = Fixtures.ALTERNATIVE;
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertPart(root, 0, at(m, "--b1\r\nContent-Type: text/plain"), m.length(), 9);
        assertThat(root.contentType().mimeType()).isEqualTo("multipart/alternative");
        assertThat(root.params()).containsExactly(Map.entry("boundary", "b1"));
        assertThat(root.children()).hasSize(2);

        MimePart plain = root.children().get(0);
        assertPart(plain, at(m, "Content-Type: text/plain"), at(m, "plain body"), after(m, "plain body"), 1);
        assertThat(plain.params()).containsExactly(Map.entry("charset", "utf-8"));
        assertThat(plain.bodySizeOctets()).isEqualTo("plain body".length());

        MimePart html = root.children().get(1);
        assertPart(html, at(m, "Content-Type: text/html"), at(m, "<p>html body</p>"), after(m, "<p>html body</p>"), 1);
        assertThat(html.contentType()).isEqualTo(new ContentType("text", "html"));
    }

    @Test
    void multipartMixedWithBase64Attachment() {
        String m = Fixtures.MIXED;
        byte[] raw = bytes(m);
        MimePart root = MimeParser.parse(raw).root();
        assertThat(root.children()).hasSize(2);
        assertPart(root.children().get(0), at(m, "Content-Type: text/plain"), at(m, "see attached"),
                after(m, "see attached"), 1);

        MimePart pdf = root.children().get(1);
        int bodyStart = at(m, Fixtures.ATTACHMENT_BASE64);
        assertPart(pdf, at(m, "Content-Type: application/pdf"), bodyStart,
                bodyStart + Fixtures.ATTACHMENT_BASE64.length(), 2);
        assertThat(pdf.contentType().mimeType()).isEqualTo("application/pdf");
        assertThat(pdf.contentTransferEncoding()).isEqualTo("base64");
        assertThat(pdf.disposition()).contains(new Disposition("attachment", Map.of("filename", "doc.pdf")));
        assertThat(pdf.filename()).contains("doc.pdf");
        assertThat(new String(TransferEncoding.decode(raw, pdf), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assertThat(Base64Layout.detect(raw, pdf))
                .contains(new Base64Layout(76, Base64Layout.LineTerminator.CRLF, false, ""));
    }

    @Test
    void nestedMultipart() {
        String m = Fixtures.NESTED;
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertThat(root.children()).hasSize(2);
        MimePart alt = root.children().get(0);
        // The inner multipart's body runs to just before the CRLF that precedes "--outer".
        int secondOuter = m.indexOf("\r\n--outer\r\nContent-Type: image/png");
        assertPart(alt, at(m, "Content-Type: multipart/alternative"), at(m, "--inner\r\nContent-Type: text/plain"),
                secondOuter, 9);
        assertThat(alt.children()).hasSize(2);
        assertPart(alt.children().get(0), at(m, "Content-Type: text/plain"), at(m, "inner plain"),
                after(m, "inner plain"), 1);
        assertPart(alt.children().get(1), at(m, "Content-Type: text/html"), at(m, "<b>inner html</b>"),
                after(m, "<b>inner html</b>"), 1);
        MimePart png = root.children().get(1);
        assertPart(png, at(m, "Content-Type: image/png"), at(m, "iVBORw0KGgo="), after(m, "iVBORw0KGgo="), 1);
    }

    @Test
    void messageRfc822Attachment() {
        String m = Fixtures.RFC822;
        MessageStructure s = MimeParser.parse(bytes(m));
        assertThat(s.envelope().subject()).contains("Fwd: inner");
        MimePart fwd = s.root().children().get(1);
        assertThat(fwd.contentType()).isEqualTo(ContentType.MESSAGE_RFC822);
        int innerStart = at(m, "From: Inner Sender");
        int innerEnd = m.indexOf("\r\n--fw--");
        assertPart(fwd, at(m, "Content-Type: message/rfc822"), innerStart, innerEnd, 13);
        assertThat(fwd.children()).isEmpty();
        MessageStructure inner = fwd.encapsulated().orElseThrow();
        assertThat(inner.envelope().subject()).contains("inner subject");
        assertThat(inner.envelope().from()).containsExactly(new EnvelopeAddress.Mailbox(
                java.util.Optional.of("Inner Sender"), java.util.Optional.empty(), "inner", "example.org"));
        assertPart(inner.root(), innerStart, at(m, "--ib\r\nContent-Type: text/plain"), innerEnd, 9);
        assertThat(inner.root().children()).hasSize(2);
        assertPart(inner.root().children().get(0), at(m, "Content-Type: text/plain\r\n\r\ninner text"),
                at(m, "inner text"), after(m, "inner text"), 1);
        assertPart(inner.root().children().get(1), at(m, "Content-Type: text/html\r\n\r\n<i>"),
                at(m, "<i>inner html</i>"), after(m, "<i>inner html</i>"), 1);
    }

    @Test
    void multipartDigestDefaultsToMessageRfc822() {
        String m = Fixtures.DIGEST;
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertThat(root.children()).hasSize(2);
        MimePart first = root.children().get(0);
        // RFC 2046 §5.1.5: no Content-Type inside a digest means message/rfc822; the header is just the blank line.
        int firstHeader = after(m, "--dg\r\n\r\nFrom") - "\r\nFrom".length();
        assertThat(first.contentType()).isEqualTo(ContentType.MESSAGE_RFC822);
        assertThat(first.params()).isEmpty();
        assertPart(first, firstHeader, firstHeader + 2, after(m, "first body"), 4);
        MessageStructure inner = first.encapsulated().orElseThrow();
        assertThat(inner.envelope().subject()).contains("first");
        assertPart(inner.root(), at(m, "From: one@example.com"), at(m, "first body"), after(m, "first body"), 1);
        assertThat(inner.root().contentType()).isEqualTo(ContentType.TEXT_PLAIN);
        MimePart second = root.children().get(1);
        assertThat(second.contentType()).isEqualTo(ContentType.TEXT_PLAIN);
        assertThat(second.encapsulated()).isEmpty();
    }

    @Test
    void missingFinalBoundaryRunsLastPartToTheEnd() {
        String m = Fixtures.MISSING_FINAL;
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertThat(root.children()).hasSize(2);
        assertPart(root.children().get(0), at(m, "Content-Type: text/plain\r\n\r\nfirst"), at(m, "first"),
                after(m, "first"), 1);
        assertPart(root.children().get(1), at(m, "Content-Type: text/plain\r\n\r\ntruncated"), at(m, "truncated here"),
                m.length(), 1);
    }

    @Test
    void preambleAndEpilogueBelongToNoPart() {
        String m = Fixtures.PREAMBLE;
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertPart(root, 0, at(m, "This is the preamble."), m.length(), 7);
        assertThat(root.children()).hasSize(1);
        assertPart(root.children().get(0), at(m, "Content-Type: text/plain"), at(m, "part one"), after(m, "part one"), 1);
    }

    @Test
    void bareLfLineEndings() {
        String m = Fixtures.LF_ONLY;
        assertThat(m).doesNotContain("\r");
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertPart(root, 0, at(m, "--lf\nContent-Type: text/plain"), m.length(), 9);
        assertThat(root.children()).hasSize(2);
        assertPart(root.children().get(0), at(m, "Content-Type: text/plain"), at(m, "lf plain"), after(m, "lf plain"), 1);
        assertPart(root.children().get(1), at(m, "Content-Type: text/html"), at(m, "<p>lf html</p>"),
                after(m, "<p>lf html</p>"), 1);
    }

    @Test
    void headerWithoutSeparator() {
        String onlyHeader = crlf("Subject: no body\nFrom: a@b.example\n");
        assertPart(MimeParser.parse(bytes(onlyHeader)).root(), 0, onlyHeader.length(), onlyHeader.length(), 0);

        // A garbage line inside the header (broken folding) does not end it; fields after it still count.
        String brokenFolding = crlf("Subject: x\nTo: a@example.com,\nb@example.com\nContent-Type: text/html\n\nbody\n");
        MessageStructure s = MimeParser.parse(bytes(brokenFolding));
        assertPart(s.root(), 0, at(brokenFolding, "body"), brokenFolding.length(), 1);
        assertThat(s.envelope().subject()).contains("x");
        assertThat(s.envelope().to()).hasSize(1);
        assertThat(s.root().contentType().mimeType()).isEqualTo("text/html");

        // No header at all: a first line that is not a field starts the body.
        String noHeader = crlf("Just text, no header\nmore\n");
        assertPart(MimeParser.parse(bytes(noHeader)).root(), 0, 0, noHeader.length(), 2);
        String partWithoutHeader = crlf("Content-Type: multipart/mixed; boundary=n\n\n--n\nHello there\n--n--\n");
        assertPart(MimeParser.parse(bytes(partWithoutHeader)).root().children().getFirst(), at(partWithoutHeader, "Hello"),
                at(partWithoutHeader, "Hello"), after(partWithoutHeader, "Hello there"), 1);
    }

    @Test
    void emptyBodiesAndEmptyInput() {
        String m = crlf("Subject: empty\n\n");
        assertPart(MimeParser.parse(bytes(m)).root(), 0, m.length(), m.length(), 0);
        assertPart(MimeParser.parse(new byte[0]).root(), 0, 0, 0, 0);
        assertThat(MimeParser.parse(new byte[0]).envelope()).isEqualTo(Envelope.EMPTY);
        // A body starting directly with the blank line: empty header.
        String noHeader = crlf("\nbody only\n");
        assertPart(MimeParser.parse(bytes(noHeader)).root(), 0, 2, noHeader.length(), 1);
    }

    @Test
    void lastLineWithoutTerminatorCountsAsALine() {
        String m = "Subject: x\r\n\r\nline one\r\nline two";
        assertPart(MimeParser.parse(bytes(m)).root(), 0, at(m, "line one"), m.length(), 2);
    }

    @Test
    void partWithoutHeaderAndEmptyParts() {
        String m = crlf("Content-Type: multipart/mixed; boundary=e\n\n--e\n\nno header\n--e\n--e\nX-Only: header\n--e--\n");
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertThat(root.children()).hasSize(3);
        int first = after(m, "--e\r\n\r\nno") - "\r\nno".length();
        assertPart(root.children().get(0), first, first + 2, after(m, "no header"), 1);
        int second = after(m, "no header\r\n--e\r\n");
        assertPart(root.children().get(1), second, second, second, 0);
        assertPart(root.children().get(2), at(m, "X-Only"), after(m, "X-Only: header"), after(m, "X-Only: header"), 0);
    }

    @Test
    void boundaryWithTransportPaddingAndNonMatchingPrefix() {
        String m = crlf("Content-Type: multipart/mixed; boundary=\"ab\"\n\n--ab  \n\n--abc is not a boundary\n--ab--  \n");
        MimePart root = MimeParser.parse(bytes(m)).root();
        assertThat(root.children()).hasSize(1);
        assertThat(root.children().get(0).bodyEnd()).isEqualTo(after(m, "--abc is not a boundary"));
    }

    @Test
    void multipartWithoutBoundaryOrDelimitersHasNoChildren() {
        assertThat(MimeParser.parse(bytes(crlf("Content-Type: multipart/mixed\n\n--x\n\nbody\n--x--\n")))
                .root().children()).isEmpty();
        MimePart p = MimeParser.parse(bytes(crlf("Content-Type: multipart/mixed; boundary=q\n\nno delimiters\n")))
                .root();
        assertThat(p.isMultipart()).isTrue();
        assertThat(p.children()).isEmpty();
    }

    @Test
    void invalidContentTypeDefaultsToTextPlainUsAscii() {
        MimePart p = MimeParser.parse(bytes(crlf("Content-Type: text\n\nx\n"))).root();
        assertThat(p.contentType()).isEqualTo(ContentType.TEXT_PLAIN);
        assertThat(p.params()).containsExactly(Map.entry("charset", "us-ascii"));
        MimePart q = MimeParser.parse(bytes(crlf("Content-Type: TEXT/HTML; Charset=\"ISO-8859-1\"\n\nx\n"))).root();
        assertThat(q.contentType()).isEqualTo(new ContentType("text", "html"));
        assertThat(q.params()).containsExactly(Map.entry("charset", "ISO-8859-1"));
    }

    @Test
    void mimeFieldsAreParsed() {
        String m = crlf("""
                Content-Type: application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20;
                 title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2="isn't it!"; Zeta=1
                Content-ID: <part1@example.com>
                Content-Description: A =?utf-8?q?caf=C3=A9?= file
                Content-Transfer-Encoding: Base64 (comment)
                Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
                Content-Disposition: attachment; filename*=iso-8859-1''f%E4.txt; size=3
                Content-Language: en, de-DE (German)
                Content-Location: http://example.com/x

                QUJD
                """);
        MimePart p = MimeParser.parse(bytes(m)).root();
        assertThat(p.params()).containsExactly(
                Map.entry("title", "This is even more ***fun*** isn't it!"), Map.entry("zeta", "1"));
        assertThat(p.contentId()).contains("<part1@example.com>");
        assertThat(p.contentDescription()).contains("A =?utf-8?q?caf=C3=A9?= file");
        assertThat(p.contentTransferEncoding()).isEqualTo("base64");
        assertThat(p.contentMd5()).contains("Q2hlY2sgSW50ZWdyaXR5IQ==");
        assertThat(p.disposition().orElseThrow().type()).isEqualTo("attachment");
        assertThat(p.disposition().orElseThrow().params()).containsExactly(
                Map.entry("filename", "f\u00e4.txt"), Map.entry("size", "3"));
        assertThat(p.language()).containsExactly("en", "de-DE");
        assertThat(p.location()).contains("http://example.com/x");
        assertThat(p.charset()).isEmpty();
    }

    @Test
    void nestingDepthIsCapped() {
        int levels = 60;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) sb.append("Content-Type: multipart/mixed; boundary=d").append(i).append("\r\n\r\n--d").append(i).append("\r\n");
        sb.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (int i = levels - 1; i >= 0; i--) sb.append("--d").append(i).append("--\r\n");
        byte[] raw = bytes(sb.toString());
        MimePart p = MimeParser.parse(raw).root();
        int depth = 0;
        while (!p.children().isEmpty()) {
            p = p.children().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(MimeParser.DEFAULT_MAX_DEPTH);
        assertThat(p.isMultipart()).isTrue();
        assertThat(p.headerStart()).isEqualTo(sb.indexOf("Content-Type: multipart/mixed; boundary=d50\r\n"));

        MimePart shallow = MimeParser.parse(raw, 2).root();
        assertThat(shallow.children().get(0).children().get(0).children()).isEmpty();
        assertThat(MimeParser.parse(raw, 0).root().children()).isEmpty();
        assertThat(MimeParser.parse(bytes(Fixtures.RFC822), 1).root().children().get(1).encapsulated()).isEmpty();
    }

    @Test
    void messageGlobalIsEncapsulatedButEncodedMessagesAreNot() {
        String global = crlf("Content-Type: message/global\n\nSubject: =?utf-8?q?x?=\n\nbody\n");
        MimePart g = MimeParser.parse(bytes(global)).root();
        assertThat(g.encapsulated()).isPresent();
        assertThat(g.encapsulated().get().root().headerStart()).isEqualTo(at(global, "Subject:"));
        assertThat(g.encapsulated().get().root().bodyStart()).isEqualTo(at(global, "body"));

        String encoded = crlf("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQo=\n");
        MimePart e = MimeParser.parse(bytes(encoded)).root();
        assertThat(e.contentType()).isEqualTo(ContentType.MESSAGE_RFC822);
        assertThat(e.encapsulated()).isEmpty(); // RFC 2046 §5.2.1 forbids encoding message/rfc822
    }
}
