package dev.postvault.mime.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relaxed canonicalization by RFC 6376's own example; signatures checked by dkimpy, an independent verifier. */
class DkimSignerTest {
    @TempDir Path tmp;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void relaxedCanonicalizationMatchesRfc6376Section345() {
        assertThat(new String(DkimCanonicalization.relaxedHeader(ascii("A: X")), StandardCharsets.US_ASCII)).isEqualTo("a:X\r\n");
        assertThat(new String(DkimCanonicalization.relaxedHeader(ascii("B : Y\t\r\n\tZ  ")), StandardCharsets.US_ASCII)).isEqualTo("b:Y Z\r\n");
        assertThat(new String(DkimCanonicalization.relaxedBody(ascii(" C \r\nD \t E\r\n\r\n\r\n"), 0), StandardCharsets.US_ASCII))
                .isEqualTo(" C\r\nD E\r\n");
        assertThat(DkimCanonicalization.relaxedBody(ascii("\r\n\r\n"), 0)).isEmpty();
        assertThat(new String(DkimCanonicalization.relaxedBody(ascii("no final line break"), 0), StandardCharsets.US_ASCII))
                .isEqualTo("no final line break\r\n");
    }

    private static final byte[] MESSAGE = ascii("""
            From: Alice <alice@sign.example>\r
            To: bob@elsewhere.example,\r
             carol@elsewhere.example\r
            Subject:   Quarterly   numbers\t\r
            Date: Mon, 7 Dec 2026 22:00:00 +0000\r
            Message-ID: <q4-1@sign.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hi Bob,  \r
            \r
            the numbers are in.\t\r
            Grüße\r
            \r
            \r
            """);

    /** What dkimpy says of each DKIM-Signature of {@code message}, given the keys' DNS records. */
    private String dkimpy(byte[] message, List<DkimKey> keys) throws Exception {
        Path m = tmp.resolve("m.eml");
        Files.write(m, message);
        StringBuilder records = new StringBuilder();
        for (DkimKey k : keys) records.append(k.dnsName()).append('\t').append(k.dnsRecord()).append('\n');
        Path r = tmp.resolve("records");
        Files.writeString(r, records);
        String script = """
                import dkim, sys
                records = dict(line.split("\\t", 1) for line in open(sys.argv[2]).read().splitlines())
                def dns(name, timeout=5):
                    return records.get(name.decode().rstrip("."), "").encode()
                message = open(sys.argv[1], "rb").read()
                d = dkim.DKIM(message)
                def verify(i):
                    try:
                        return d.verify(idx=i, dnsfunc=dns)
                    except dkim.ValidationError:  # a body hash mismatch is raised, not returned
                        return False
                count = message.count(b"DKIM-Signature:")
                print(" ".join(str(verify(i)) for i in range(count)))
                """;
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, m.toString(), r.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void dkimpyVerifiesBothSignaturesAndRefusesAlteredMail() throws Exception {
        List<DkimKey> keys = List.of(DkimKey.generate("sign.example", "rsa-1", DkimAlgorithm.RSA_SHA256),
                DkimKey.generate("sign.example", "ed-1", DkimAlgorithm.ED25519_SHA256));
        byte[] signed = DkimSigner.sign(MESSAGE, keys, Instant.parse("2026-12-07T22:00:01Z"));
        String text = new String(signed, StandardCharsets.UTF_8);
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sign.example; s=rsa-1;")
                .contains("a=ed25519-sha256").contains("h=from:from:to:to:subject:subject:date:date:message-id:mime-version:content-type;");
        assertThat(dkimpy(signed, keys)).isEqualTo("True True");

        // Whitespace changes that relaxed canonicalization forgives still verify.
        byte[] rewrapped = text.replace("Subject:   Quarterly   numbers", "Subject: Quarterly numbers")
                .replace("the numbers are in.\t", "the numbers are in.").getBytes(StandardCharsets.UTF_8);
        assertThat(dkimpy(rewrapped, keys)).isEqualTo("True True");
        // A changed body, or a second From: added on the way (oversigning), does not.
        assertThat(dkimpy(text.replace("the numbers are in.", "the numbers are out.").getBytes(StandardCharsets.UTF_8), keys))
                .isEqualTo("False False");
        assertThat(dkimpy(text.replace("Subject:", "From: mallory@evil.example\r\nSubject:").getBytes(StandardCharsets.UTF_8), keys))
                .isEqualTo("False False");
    }

    @Test
    void keysSurviveTheirEncodingAndPublishTheRightRecord() {
        DkimKey ed = DkimKey.generate("sign.example", "ed-2", DkimAlgorithm.ED25519_SHA256);
        DkimKey back = DkimKey.decode("sign.example", "ed-2", DkimAlgorithm.ED25519_SHA256, ed.encodedPrivate(), ed.encodedPublic());
        assertThat(back.dnsRecord()).isEqualTo(ed.dnsRecord()).startsWith("v=DKIM1; k=ed25519; p=").hasSize("v=DKIM1; k=ed25519; p=".length() + 44);
        assertThat(ed.dnsName()).isEqualTo("ed-2._domainkey.sign.example");
        assertThat(ed.toString()).doesNotContain("PRIVATE");
    }
}
