package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.at;
import static dev.postvault.mime.Fixtures.bytes;
import static dev.postvault.mime.Fixtures.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The example message structure of RFC 3501 §6.4.5 (also RFC 9051 §6.4.5). */
class PartNumberingTest {

    static final String EXAMPLE = crlf("""
            From: top@example.com
            Subject: numbering
            Content-Type: MULTIPART/MIXED; boundary=top

            --top
            Content-Type: TEXT/PLAIN

            part 1
            --top
            Content-Type: APPLICATION/OCTET-STREAM

            part 2
            --top
            Content-Type: MESSAGE/RFC822

            Subject: part 3 message
            Content-Type: MULTIPART/MIXED; boundary=m3

            --m3
            Content-Type: TEXT/PLAIN

            part 3.1
            --m3
            Content-Type: APPLICATION/OCTET-STREAM

            part 3.2
            --m3--
            --top
            Content-Type: MULTIPART/MIXED; boundary=p4

            --p4
            Content-Type: IMAGE/GIF

            part 4.1
            --p4
            Content-Type: MESSAGE/RFC822

            Subject: part 4.2 message
            Content-Type: MULTIPART/MIXED; boundary=m42

            --m42
            Content-Type: TEXT/PLAIN

            part 4.2.1
            --m42
            Content-Type: MULTIPART/ALTERNATIVE; boundary=a422

            --a422
            Content-Type: TEXT/PLAIN

            part 4.2.2.1
            --a422
            Content-Type: TEXT/RICHTEXT

            part 4.2.2.2
            --a422--
            --m42--
            --p4--
            --top--
            """);

    private final MessageStructure s = MimeParser.parse(bytes(EXAMPLE));

    private String type(int... path) {
        return s.part(path).orElseThrow(() -> new AssertionError("no part " + java.util.Arrays.toString(path)))
                .contentType().mimeType();
    }

    private String body(int... path) {
        MimePart p = s.part(path).orElseThrow();
        return EXAMPLE.substring(p.bodyStart(), p.bodyEnd());
    }

    @Test
    void everyPartOfTheRfcExampleResolves() {
        assertThat(s.part()).contains(s.root());
        assertThat(s.root().contentType().mimeType()).isEqualTo("multipart/mixed");
        assertThat(type(1)).isEqualTo("text/plain");
        assertThat(type(2)).isEqualTo("application/octet-stream");
        assertThat(type(3)).isEqualTo("message/rfc822");
        assertThat(type(3, 1)).isEqualTo("text/plain");
        assertThat(type(3, 2)).isEqualTo("application/octet-stream");
        assertThat(type(4)).isEqualTo("multipart/mixed");
        assertThat(type(4, 1)).isEqualTo("image/gif");
        assertThat(type(4, 2)).isEqualTo("message/rfc822");
        assertThat(type(4, 2, 1)).isEqualTo("text/plain");
        assertThat(type(4, 2, 2)).isEqualTo("multipart/alternative");
        assertThat(type(4, 2, 2, 1)).isEqualTo("text/plain");
        assertThat(type(4, 2, 2, 2)).isEqualTo("text/richtext");

        assertThat(body(1)).isEqualTo("part 1");
        assertThat(body(3, 2)).isEqualTo("part 3.2");
        assertThat(body(4, 1)).isEqualTo("part 4.1");
        assertThat(body(4, 2, 1)).isEqualTo("part 4.2.1");
        assertThat(body(4, 2, 2, 1)).isEqualTo("part 4.2.2.1");
        assertThat(body(4, 2, 2, 2)).isEqualTo("part 4.2.2.2");
        // 4.1.MIME is the part header; 3.HEADER is the encapsulated message's header.
        MimePart gif = s.part(4, 1).orElseThrow();
        assertThat(EXAMPLE.substring(gif.headerStart(), gif.headerEnd())).isEqualTo("Content-Type: IMAGE/GIF\r\n\r\n");
        MimePart m3 = s.part(3).orElseThrow().encapsulated().orElseThrow().root();
        assertThat(m3.headerStart()).isEqualTo(at(EXAMPLE, "Subject: part 3 message"));
        assertThat(s.part(4, 2).orElseThrow().encapsulated().orElseThrow().envelope().subject())
                .contains("part 4.2 message");
    }

    @Test
    void nonexistentPartsAreEmpty() {
        assertThat(s.part(0)).isEmpty();
        assertThat(s.part(-1)).isEmpty();
        assertThat(s.part(5)).isEmpty();
        assertThat(s.part(1, 1)).isEmpty();
        assertThat(s.part(3, 3)).isEmpty();
        assertThat(s.part(4, 3)).isEmpty();
        assertThat(s.part(4, 1, 1)).isEmpty();
        assertThat(s.part(4, 2, 3)).isEmpty();
        assertThat(s.part(4, 2, 2, 3)).isEmpty();
        assertThat(s.part(4, 2, 2, 1, 1)).isEmpty();
    }

    @Test
    void singlePartMessageHasOnlyPartOne() {
        MessageStructure single = MimeParser.parse(bytes(Fixtures.SIMPLE));
        assertThat(single.part(1)).contains(single.root());
        assertThat(single.part(2)).isEmpty();
        assertThat(single.part(1, 1)).isEmpty();
    }

    @Test
    void topLevelMessageRfc822DescendsIntoTheEncapsulatedBody() {
        String m = crlf("""
                Subject: outer
                Content-Type: message/rfc822

                Subject: inner
                Content-Type: text/plain

                inner body
                """);
        MessageStructure top = MimeParser.parse(bytes(m));
        assertThat(top.part(1)).contains(top.root());
        MimePart innerBody = top.part(1, 1).orElseThrow();
        assertThat(innerBody).isEqualTo(top.root().encapsulated().orElseThrow().root());
        assertThat(m.substring(innerBody.bodyStart(), innerBody.bodyEnd())).isEqualTo("inner body\r\n");
        assertThat(top.part(1, 2)).isEmpty();
    }

    @Test
    void allPartsListsEveryEntityDepthFirst() {
        assertThat(s.allParts()).extracting(p -> p.contentType().mimeType()).containsExactly(
                "multipart/mixed", "text/plain", "application/octet-stream", "message/rfc822", "multipart/mixed",
                "text/plain", "application/octet-stream", "multipart/mixed", "image/gif", "message/rfc822",
                "multipart/mixed", "text/plain", "multipart/alternative", "text/plain", "text/richtext");
    }
}
