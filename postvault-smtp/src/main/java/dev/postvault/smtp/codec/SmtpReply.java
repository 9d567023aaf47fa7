package dev.postvault.smtp.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One SMTP reply, possibly multi-line (RFC 5321 §4.2).
 *
 * <p>Text is restricted to printable US-ASCII: any other character (CR and LF included) is replaced by
 * {@code '?'}, so a reply can never be used to inject a line. When an enhanced code is present it is
 * written on every line (RFC 2034 §3).
 *
 * @param code three-digit reply code, 200..599
 * @param enhancedCode RFC 3463 code; its class must equal the first digit of {@code code}
 * @param lines the text lines (at least one; a line may be empty)
 */
public record SmtpReply(int code, Optional<EnhancedStatusCode> enhancedCode, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) { // RFC 5321 §4.2: 2yz..5yz
            throw new IllegalArgumentException("reply code out of range");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        if (enhancedCode.isPresent() && enhancedCode.get().statusClass() != code / 100) { // RFC 3463 §2
            throw new IllegalArgumentException("enhanced status class does not match reply code");
        }
        lines = lines.stream().map(SmtpReply::sanitize).toList();
    }

    /** A reply with an enhanced status code such as {@code "2.0.0"}. */
    public static SmtpReply of(int code, String enhancedCode, String... lines) {
        return new SmtpReply(code, Optional.of(EnhancedStatusCode.parse(enhancedCode)), List.of(lines));
    }

    /** A reply without enhanced code: the greeting, HELO/EHLO answers and 3yz replies (RFC 2034 §3). */
    public static SmtpReply plain(int code, String... lines) {
        return new SmtpReply(code, Optional.empty(), List.of(lines));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The wire form, every line ending in CRLF; continuation lines use {@code "250-"} (RFC 5321 §4.2.1). */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i < lines.size() - 1 ? '-' : ' ');
            String text = lines.get(i);
            enhancedCode.ifPresent(e -> out.append(e).append(text.isEmpty() ? "" : " "));
            out.append(text).append("\r\n");
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return format().getBytes(StandardCharsets.US_ASCII);
    }

    private static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?'); // RFC 5321 §4.2: textstring is HT, SP, printable ASCII
        }
        return out.toString();
    }
}
