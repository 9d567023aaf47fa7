package dev.postvault.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/** Realistic test messages built in code (no fixtures to drift). */
public final class TestMessages {
    private TestMessages() {}

    public static byte[] simple(String subject, String body) {
        return ("From: Alice Example <alice@sender.example>\r\n"
                + "To: hello@example.org\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + Math.abs(subject.hashCode()) + "@sender.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A multipart/mixed message carrying {@code attachment} as base64 with 76-character lines. */
    public static byte[] withAttachment(String subject, String text, byte[] attachment) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment);
        return ("From: Alice Example <alice@sender.example>\r\n"
                + "To: hello@example.org\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                + "\r\n"
                + "--b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + text + "\r\n"
                + "--b1\r\n"
                + "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                + "\r\n"
                + b64 + "\r\n"
                + "--b1--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
