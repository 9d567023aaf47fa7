package dev.postvault.imap.codec;

import java.util.Optional;

/**
 * Mailbox name conventions: modified UTF-7 (RFC 3501 §5.1.3, RFC 9051 §5.1.3) used on the wire
 * unless UTF8=ACCEPT is enabled (RFC 6855 §3), and the case-insensitive INBOX (RFC 9051 §5.1).
 */
public final class MailboxNames {

    public static final String INBOX = "INBOX";

    private static final char[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();

    private MailboxNames() {
    }

    /** "INBOX" for any case variant of INBOX, otherwise {@code name} unchanged. */
    public static String normalizeInbox(String name) {
        return name.equalsIgnoreCase(INBOX) ? INBOX : name;
    }

    /** True if {@code name} is INBOX in any case. */
    public static boolean isInbox(String name) {
        return name.equalsIgnoreCase(INBOX);
    }

    /** The wire form of a name: itself with UTF8=ACCEPT, otherwise modified UTF-7. */
    public static String toWire(String name, boolean utf8Enabled) {
        return utf8Enabled ? name : encodeModifiedUtf7(name);
    }

    /**
     * RFC 3501 §5.1.3: printable US-ASCII except "&amp;" stands for itself, "&amp;" is "&amp;-", any other
     * run of characters is "&amp;" + modified BASE64 of its UTF-16 + "-".
     */
    public static String encodeModifiedUtf7(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int end = i;
                while (end < name.length() && (name.charAt(end) < 0x20 || name.charAt(end) > 0x7e)) {
                    end++;
                }
                out.append('&');
                appendBase64(out, name, i, end);
                out.append('-');
                i = end;
            }
        }
        return out.toString();
    }

    /**
     * The inverse of {@link #encodeModifiedUtf7}; empty for anything that is not canonical modified
     * UTF-7: octets outside 0x20-0x7e, an unterminated shift, non-zero padding bits, printable
     * US-ASCII in BASE64, or unpaired surrogates.
     */
    public static Optional<String> decodeModifiedUtf7(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.empty();
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) {
                return Optional.empty();
            }
            if (end == i + 1) {
                out.append('&');
            } else if (!decodeBase64(wire, i + 1, end, out)) {
                return Optional.empty();
            }
            i = end + 1;
        }
        return Optional.of(out.toString());
    }

    private static void appendBase64(StringBuilder out, String text, int from, int to) {
        int bits = 0;
        int bitCount = 0;
        for (int i = from; i < to; i++) {
            bits = (bits << 16) | text.charAt(i);
            bitCount += 16;
            while (bitCount >= 6) {
                bitCount -= 6;
                out.append(BASE64[(bits >>> bitCount) & 0x3f]);
            }
            bits &= (1 << bitCount) - 1;
        }
        if (bitCount > 0) {
            out.append(BASE64[(bits << (6 - bitCount)) & 0x3f]);
        }
    }

    private static boolean decodeBase64(String wire, int from, int to, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        int start = out.length();
        for (int i = from; i < to; i++) {
            int value = base64Value(wire.charAt(i));
            if (value < 0) {
                return false;
            }
            bits = (bits << 6) | value;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                char unit = (char) ((bits >>> bitCount) & 0xffff);
                if (unit >= 0x20 && unit <= 0x7e) {
                    return false; // printable US-ASCII must represent itself
                }
                out.append(unit);
                bits &= (1 << bitCount) - 1;
            }
        }
        if (bitCount >= 6 || bits != 0 || out.length() == start) {
            return false;
        }
        for (int i = start; i < out.length(); i++) {
            char unit = out.charAt(i);
            if (Character.isHighSurrogate(unit)) {
                if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(unit)) {
                return false;
            }
        }
        return true;
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return switch (c) {
            case '+' -> 62;
            case ',' -> 63;
            default -> -1;
        };
    }
}
