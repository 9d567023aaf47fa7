package dev.postvault.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeadersTest {
    private static final String SIGNED = """
            DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\r
            \th=from:to:subject; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r
            \tb=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB4nujc7YopdG5dWLSdNg6x\r
            \t NAZpsPr+kXJJE=\r
            ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=example.org; s=arc;\r
            \tb=Zm9vYmFyYmF6cXV4\r
            Autocrypt: addr=alice@example.org; prefer-encrypt=mutual; keydata=mDMEXEcE6RYJKwYBBAHaRw8BAQdA\r
            Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= and b=kept\r
            \r
            body\r
            """;

    @Test
    void searchTextKeepsEveryFieldButLeavesSignatureAndKeyValuesOut() {
        byte[] raw = SIGNED.getBytes(StandardCharsets.US_ASCII);
        String text = Headers.searchText(raw, MimeParser.parse(raw));
        assertThat(text).contains("dkim-signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;")
                .contains("h=from:to:subject; bh=;\tb=\n")
                .contains("arc-seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=example.org; s=arc;\tb=\n")
                .contains("autocrypt: addr=alice@example.org; prefer-encrypt=mutual; keydata=\n")
                .contains("subject: Grüße and b=kept\n") // other fields are not tag lists
                .doesNotContain("2jUSOH9").doesNotContain("AuUoFEf").doesNotContain("NAZpsPr").doesNotContain("Zm9vYmFy")
                .doesNotContain("mDMEXEcE");
        // HEADER reads the whole value.
        assertThat(Headers.decoded(raw, MimeParser.parse(raw).root(), "DKIM-Signature").getFirst()).contains("NAZpsPr+kXJJE=");
        assertThat(Headers.hasOpaqueValues("ARC-Message-Signature")).isTrue();
        assertThat(Headers.hasOpaqueValues("Received")).isFalse();
    }

    @Test
    void messageSearchTextHasEveryPartHeaderAndDecodedFileNames() {
        String raw = "Subject: report\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b\r\nContent-Type: application/pdf\r\nContent-Description: quarterly figures\r\n"
                + "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\nJVBERi0=\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: forwarded one\r\nX-Inner: deep\r\n\r\ninner body\r\n"
                + "--b--\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.US_ASCII);
        String text = Headers.searchText(bytes, MimeParser.parse(bytes));
        assertThat(text).startsWith("subject: report\n")
                .contains("content-description: quarterly figures\n")
                .contains("filename: résumé.pdf\n")
                .contains("x-inner: deep\n")
                .doesNotContain("see attached").doesNotContain("inner body");
    }

    @Test
    void tagNamesAreMatchedExactlyAndMalformedListsPassThrough() {
        assertThat(Headers.withoutTagValues(" b = abc ; B=keep; bb=keep;b=", Set.of("b"))).isEqualTo(" b =; B=keep; bb=keep;b=");
        assertThat(Headers.withoutTagValues("no tags here", Set.of("b"))).isEqualTo("no tags here");
        assertThat(Headers.withoutTagValues(";;b=x;", Set.of("b"))).isEqualTo(";;b=;");
        assertThat(Headers.withoutTagValues("", Set.of("b"))).isEmpty();
    }
}
