package dev.postvault.imap.codec;

/** Character classes of the formal syntax, shared by the reader and the writer. */
final class ImapSyntax {

    private ImapSyntax() {
    }

    // RFC 9051 §9 ATOM-CHAR = <any CHAR except atom-specials>;
    // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
    static boolean isAtomChar(int b) {
        return b > 0x20 && b < 0x7f
                && b != '(' && b != ')' && b != '{'
                && b != '%' && b != '*'
                && b != '"' && b != '\\'
                && b != ']';
    }

    // RFC 9051 §9 ASTRING-CHAR = ATOM-CHAR / resp-specials
    static boolean isAstringChar(int b) {
        return isAtomChar(b) || b == ']';
    }

    // RFC 9051 §9 tag = 1*<any ASTRING-CHAR except "+">
    static boolean isTagChar(int b) {
        return isAstringChar(b) && b != '+';
    }

    // RFC 9051 §9 list-char = ATOM-CHAR / list-wildcards / resp-specials
    static boolean isListChar(int b) {
        return isAtomChar(b) || b == '%' || b == '*' || b == ']';
    }

    // RFC 9051 §9 TEXT-CHAR = <any CHAR except CR and LF>; CHAR = %x01-7F
    static boolean isTextChar(int b) {
        return b >= 0x01 && b <= 0x7f && b != '\r' && b != '\n';
    }

    static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    static boolean isAtom(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isAtomChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isAstring(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isAstringChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} as an astring for wire forms built from parsed values (ASCII only). */
    static String astringWireForm(String text) {
        if (isAstring(text)) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }
}
