package dev.postvault.smtp.codec;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recursive-descent parser for the RFC 5321 §4.1.2 path grammar, over a string with a cursor.
 * Non-ASCII characters (UTF8-non-ascii, RFC 6531 §3.3) are accepted in local parts and domain
 * labels; whether they are allowed is decided by the caller. Failures throw {@link Failure}.
 */
final class PathParser {

    /** Thrown for any syntax error; caught by {@link CommandParser}. */
    static final class Failure extends RuntimeException {
        Failure() {
            super(null, null, false, false);
        }
    }

    private static final int MAX_DOMAIN_BYTES = 255; // RFC 5321 §4.5.3.1.2
    private static final int MAX_LABEL_BYTES = 63; // RFC 1035 §2.3.4
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~"; // RFC 5321 §4.1.2 atext (RFC 5322 §3.2.3)

    private final String text;
    private int pos;

    PathParser(String text, int start) {
        this.text = text;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    /** Reverse-path = Path / "<>" (RFC 5321 §4.1.2). */
    Optional<Mailbox> reversePath() {
        if (text.startsWith("<>", pos)) {
            pos += 2;
            return Optional.empty();
        }
        return Optional.of(path());
    }

    /** Forward-path, including the bare {@code <Postmaster>} (RFC 5321 §4.1.1.3). */
    Mailbox forwardPath() {
        int close = pos + "<postmaster>".length();
        if (text.regionMatches(true, pos, "<postmaster>", 0, "<postmaster>".length())) {
            Mailbox bare = new Mailbox(text.substring(pos + 1, close - 1), "");
            pos = close;
            return bare;
        }
        return path();
    }

    /** Path = "<" [ A-d-l ":" ] Mailbox ">" (RFC 5321 §4.1.2). */
    private Mailbox path() {
        expect('<');
        if (peek() == '@') {
            sourceRoute(); // RFC 5321 §4.1.1.3 / Appendix C: source routes are parsed and ignored
        }
        String localPart = peek() == '"' ? quotedString() : dotString();
        expect('@');
        String domain = peek() == '[' ? addressLiteral() : domain(false);
        expect('>');
        // RFC 5321 §4.5.3.1: lengths beyond the minimums are tolerated; the command line limit bounds them
        return new Mailbox(localPart, domain);
    }

    /** A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain (RFC 5321 §4.1.2). */
    private void sourceRoute() {
        do {
            expect('@');
            domain(false);
        } while (accept(','));
        expect(':');
    }

    /** Dot-string = Atom *("." Atom) (RFC 5321 §4.1.2), atext extended by RFC 6531 §3.3. */
    private String dotString() {
        int start = pos;
        atom();
        while (accept('.')) {
            atom();
        }
        return text.substring(start, pos);
    }

    private void atom() {
        int start = pos;
        while (pos < text.length() && isAtext(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw new Failure();
        }
    }

    /** Quoted-string = DQUOTE *QcontentSMTP DQUOTE (RFC 5321 §4.1.2), returned with its quotes. */
    private String quotedString() {
        int start = pos;
        expect('"');
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                char quoted = next(); // quoted-pairSMTP = %d92 %d32-126
                if (quoted < 32 || quoted > 126) {
                    throw new Failure();
                }
            } else if (!(c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) || c >= 0x80)) {
                throw new Failure(); // qtextSMTP, plus UTF8-non-ascii per RFC 6531 §3.3
            }
        }
        if (pos - start == 2) {
            throw new Failure(); // an empty local part is not a mailbox
        }
        return text.substring(start, pos);
    }

    /**
     * Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (RFC 5321 §4.1.2), or a
     * U-label (RFC 6531 §3.3). {@code lenient} also admits '_' (seen in real-world EHLO names).
     */
    String domain(boolean lenient) {
        int start = pos;
        label(lenient);
        while (accept('.')) {
            label(lenient);
        }
        String domain = text.substring(start, pos);
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN_BYTES) {
            throw new Failure();
        }
        return domain;
    }

    private void label(boolean lenient) {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isLetDig(c) || c == '-' || c >= 0x80 || (lenient && c == '_')) {
                pos++;
            } else {
                break;
            }
        }
        String label = text.substring(start, pos);
        if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")
                || label.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            throw new Failure();
        }
    }

    /** address-literal = "[" ( IPv4 / IPv6 / General-address-literal ) "]" (RFC 5321 §4.1.3). */
    String addressLiteral() {
        int start = pos;
        expect('[');
        int close = text.indexOf(']', pos);
        if (close < 0) {
            throw new Failure();
        }
        String inner = text.substring(pos, close);
        pos = close + 1;
        int colon = inner.indexOf(':');
        if (colon < 0) {
            if (!isIpv4(inner)) {
                throw new Failure();
            }
        } else {
            String tag = inner.substring(0, colon);
            String content = inner.substring(colon + 1);
            if (tag.equalsIgnoreCase("IPv6")) {
                if (!isIpv6(content)) {
                    throw new Failure();
                }
            } else if (!isGeneralLiteral(tag, content)) {
                throw new Failure();
            }
        }
        return text.substring(start, pos);
    }

    /** IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT 0..255 (RFC 5321 §4.1.3). */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IPv6-addr (RFC 5321 §4.1.3), validated without any name lookup. */
    static boolean isIpv6(String s) {
        if (s.isEmpty() || s.indexOf(':') < 0 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0
                || c == ':' || c == '.')) {
            return false;
        }
        try {
            Inet6Address.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126. */
    private static boolean isGeneralLiteral(String tag, String content) {
        if (tag.isEmpty() || !isLetDig(tag.charAt(0)) || !isLetDig(tag.charAt(tag.length() - 1))
                || !tag.chars().allMatch(c -> isLetDig((char) c) || c == '-') || content.isEmpty()) {
            return false;
        }
        return content.chars().allMatch(c -> (c >= 33 && c <= 90) || (c >= 94 && c <= 126));
    }

    private static boolean isLetDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isAtext(char c) {
        return isLetDig(c) || ATEXT_SPECIALS.indexOf(c) >= 0 || c >= 0x80;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw new Failure();
        }
        return text.charAt(pos++);
    }

    private boolean accept(char c) {
        if (peek() == c && pos < text.length()) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw new Failure();
        }
    }
}
