package dev.postvault.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic mail for the benchmarks: a delivered message's header block (two Received
 * lines, a DKIM signature, RFC 2047 display names) and human-looking text in UTF-8, cycling through
 * three shapes: text/plain 8bit, text/plain quoted-printable, and multipart/alternative (plain + HTML,
 * both quoted-printable). Every message carries {@code X-Bench-Seq} and a unique Message-ID, so no two
 * are equal. Lines end in CRLF, as they arrive over SMTP.
 */
public final class MessageFactory {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.ofHours(1));
    private static final List<String> WORDS = List.of((
            "the a of and to in is for on that with as this be are from at by it or have not will we "
            + "mailbox server protocol message folder attachment invoice deadline release budget review meeting "
            + "schedule project report quarter customer contract draft version update please thanks regards "
            + "tomorrow monday friday afternoon morning office team build pipeline deploy storage backup "
            + "grüße café naïve façade straße übermorgen größer änderung réunion déjà привет встреча отчёт "
            + "日本語 会議 资料 ελληνικά").split(" "));
    private static final List<String> SUBJECTS = List.of("Quarterly report", "Lunch tomorrow?", "Meeting notes",
            "Invoice for October", "Build failed on main", "Re: project timeline", "Your order has shipped",
            "Besprechung am Montag – Änderungen", "Réunion : ordre du jour", "Отчёт за квартал", "会議の議事録");
    private static final List<String> NAMES = List.of("Alice Smith", "Bob Jones", "Carol Brown", "Jürgen Groß",
            "Zoë Dubois", "Łukasz Kowalski", "Иван Петров", "山田 太郎", "José Müller", "Søren Ólafsson");
    private static final List<String> DOMAINS = List.of("example.org", "mail.example.net", "corp.example.com", "example.test");

    private final long seed;

    public MessageFactory(long seed) {
        this.seed = seed;
    }

    /** A text message of at least {@code targetBytes} (overshooting by less than one paragraph). */
    public byte[] textMessage(int seq, String to, Instant date, int targetBytes) {
        var rnd = new SplittableRandom(seed * 1_000_003L + seq);
        int shape = Math.floorMod(seq, 3);
        String header = header(seq, to, date, rnd, true, true, switch (shape) {
            case 0 -> "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
            case 1 -> "Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: quoted-printable\r\n";
            default -> "Content-Type: multipart/alternative; boundary=\"" + boundary(seq) + "\"\r\n";
        });
        byte[] head = utf8(header + "\r\n");
        var plain = new ByteArrayOutputStream(targetBytes);
        var html = new ByteArrayOutputStream(targetBytes);
        byte[] plainPartHead = utf8("--" + boundary(seq) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        byte[] htmlPartHead = utf8("--" + boundary(seq) + "\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        byte[] htmlOpen = quotedPrintable("<html><body>\r\n");
        byte[] htmlClose = quotedPrintable("</body></html>\r\n");
        byte[] closing = utf8("--" + boundary(seq) + "--\r\n");
        int fixed = head.length + (shape == 2 ? plainPartHead.length + htmlPartHead.length + htmlOpen.length + htmlClose.length + closing.length : 0);
        plain.writeBytes(utf8("Hello,\r\n\r\n"));
        while (fixed + plain.size() + html.size() < targetBytes) {
            String paragraph = paragraph(rnd);
            switch (shape) {
                case 0 -> plain.writeBytes(utf8(paragraph + "\r\n"));
                case 1 -> plain.writeBytes(quotedPrintable(paragraph + "\r\n"));
                default -> {
                    plain.writeBytes(quotedPrintable(paragraph + "\r\n"));
                    html.writeBytes(quotedPrintable("<p>" + paragraph.replace("\r\n", "\r\n ").strip() + "</p>\r\n"));
                }
            }
        }
        var out = new ByteArrayOutputStream(fixed + plain.size() + html.size());
        out.writeBytes(head);
        if (shape == 2) {
            out.writeBytes(plainPartHead);
            out.writeBytes(plain.toByteArray());
            out.writeBytes(htmlPartHead);
            out.writeBytes(htmlOpen);
            out.writeBytes(html.toByteArray());
            out.writeBytes(htmlClose);
            out.writeBytes(closing);
        } else {
            out.writeBytes(plain.toByteArray());
        }
        return out.toByteArray();
    }

    /** What a message of benchmark 4 carries besides the shared attachment. */
    public enum Shape {
        /** A mail client's header (~0.3 KB) and a one-line note: one file sent or forwarded again and again. */
        NOTE,
        /** As delivered (Return-Path, two Received fields; ~0.9 KB of header), with a letter of its own (0.3 to 1.5 KB of text). */
        LETTER,
        /** The letter DKIM-signed with RSA-2048, as most mail from large providers is (~1.4 KB of header). */
        SIGNED_LETTER
    }

    /**
     * A multipart/mixed message: a text part (see {@link Shape}) plus {@code attachmentBase64}, an
     * attachment already encoded by {@link #base64Lines}.
     */
    public byte[] attachmentMessage(int seq, String to, Instant date, byte[] attachmentBase64, Shape shape) {
        var rnd = new SplittableRandom(seed * 1_000_003L + seq);
        String b = boundary(seq);
        var text = new StringBuilder("Hi,\r\n\r\nthe file is attached.\r\n\r\n");
        if (shape != Shape.NOTE) {
            for (int i = 1 + rnd.nextInt(3); i > 0; i--) text.append(paragraph(rnd)).append("\r\n");
        }
        String head = header(seq, to, date, rnd, shape != Shape.NOTE, shape == Shape.SIGNED_LETTER, "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n") + "\r\n"
                + "--" + b + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + text
                + "--" + b + "\r\nContent-Type: application/octet-stream; name=\"measurements.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"measurements.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n";
        var out = new ByteArrayOutputStream(head.length() * 2 + attachmentBase64.length + 64);
        out.writeBytes(utf8(head));
        out.writeBytes(attachmentBase64);
        out.writeBytes(utf8("--" + b + "--\r\n"));
        return out.toByteArray();
    }

    /** Base64 in 76-character lines, each ending in CRLF (RFC 2045 §6.8), as mail clients send it. */
    public static byte[] base64Lines(byte[] data) {
        byte[] body = Base64.getMimeEncoder(76, CRLF).encode(data);
        var out = new ByteArrayOutputStream(body.length + 2);
        out.writeBytes(body);
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /** {@code length} pseudo-random bytes (incompressible, like a real archive or image). */
    public byte[] randomBytes(int length) {
        byte[] b = new byte[length];
        new SplittableRandom(seed ^ 0x5DEECE66DL).nextBytes(b);
        return b;
    }

    /**
     * A sender's header. {@code delivered} adds what the path adds (Return-Path, Received fields);
     * {@code signed} a DKIM-Signature.
     */
    private String header(int seq, String to, Instant date, SplittableRandom rnd, boolean delivered, boolean signed, String contentHeaders) {
        String name = pick(NAMES, rnd);
        String domain = pick(DOMAINS, rnd);
        String local = name.chars().allMatch(c -> c < 128) ? name.toLowerCase(Locale.ROOT).replace(' ', '.') : "user" + rnd.nextInt(1000);
        String from = local + "@" + domain;
        String when = RFC5322_DATE.format(date);
        String displayName = name.chars().allMatch(c -> c < 128)
                ? "\"" + name + "\""
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(utf8(name)) + "?=";
        String subject = pick(SUBJECTS, rnd) + " #" + seq;
        String encodedSubject = subject.chars().allMatch(c -> c < 128)
                ? subject
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(utf8(subject)) + "?=";
        String trace = !delivered ? "" : "Return-Path: <" + from + ">\r\n"
                + "Received: from mail." + domain + " (mail." + domain + " [192.0.2." + rnd.nextInt(1, 255) + "])\r\n"
                + "\tby mx.bench.test (Postvault) with ESMTPS id " + hex(rnd, 8) + "\r\n"
                + "\tfor <" + to + ">; " + when + "\r\n"
                + "Received: from [10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "] (unknown [198.51.100." + rnd.nextInt(1, 255) + "])\r\n"
                + "\tby mail." + domain + " with ESMTPSA id " + hex(rnd, 6) + ";\r\n\t" + when + "\r\n";
        return trace
                + (signed ? "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=s2025;\r\n"
                        + "\th=from:to:subject:date:message-id:mime-version:content-type;\r\n"
                        + "\tbh=" + base64(rnd, 32) + ";\r\n"
                        + "\tb=" + folded(base64(rnd, 256), 70) + "\r\n" : "")
                + "Message-ID: <" + seq + "." + hex(rnd, 8) + "@" + domain + ">\r\n"
                + "Date: " + when + "\r\n"
                + "From: " + displayName + " <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + encodedSubject + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "X-Bench-Seq: " + seq + "\r\n"
                + contentHeaders;
    }

    /** Three to eight sentences wrapped at 72 characters, ending with a blank line. */
    private static String paragraph(SplittableRandom rnd) {
        var text = new StringBuilder();
        int column = 0;
        for (int s = rnd.nextInt(3, 9); s > 0; s--) {
            int words = rnd.nextInt(6, 18);
            for (int w = 0; w < words; w++) {
                String word = pick(WORDS, rnd);
                if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                if (w == words - 1) word += ".";
                if (column > 0 && column + 1 + word.length() > 72) {
                    text.append("\r\n");
                    column = 0;
                } else if (column > 0) {
                    text.append(' ');
                    column++;
                }
                text.append(word);
                column += word.length();
            }
        }
        return text.append("\r\n").toString();
    }

    /**
     * Quoted-printable (RFC 2045 §6.7) of CRLF-separated text: printable ASCII except "=" passes,
     * everything else becomes =XX, trailing white space is encoded, and lines are soft-broken so that
     * no encoded line exceeds 76 characters.
     */
    static byte[] quotedPrintable(String text) {
        var out = new ByteArrayOutputStream(text.length() * 2);
        for (String line : text.split("\r\n", -1)) {
            if (out.size() > 0) out.writeBytes(CRLF);
            byte[] bytes = utf8(line);
            int column = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xFF;
                boolean last = i == bytes.length - 1;
                boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                String token = literal ? String.valueOf((char) b) : "=%02X".formatted(b);
                if (column + token.length() > 75) {
                    out.writeBytes(utf8("=\r\n"));
                    column = 0;
                }
                out.writeBytes(utf8(token));
                column += token.length();
            }
        }
        return out.toByteArray();
    }

    private static String boundary(int seq) {
        return "----=_Part_" + seq + "_bench";
    }

    private static String folded(String s, int width) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i += width) {
            if (i > 0) out.append("\r\n\t ");
            out.append(s, i, Math.min(s.length(), i + width));
        }
        return out.toString();
    }

    private static <T> T pick(List<T> list, SplittableRandom rnd) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static String hex(SplittableRandom rnd, int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
    }

    private static String base64(SplittableRandom rnd, int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
