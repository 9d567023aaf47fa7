package dev.postvault.mime;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns HTML into plain text for indexing: tags, comments, and script/style content dropped; block-level
 * tags become line breaks; character references decoded (HTML named entities of the Latin-1 range and
 * common typographic ones, plus {@code &#NNN;} and {@code &#xHH;}). {@code &nbsp;} becomes a plain space.
 * Not an HTML parser: good enough for search, never throws.
 */
final class HtmlText {
    private HtmlText() {}

    private static final Map<String, Integer> ENTITIES = new HashMap<>();
    private static final Set<String> BLOCK_TAGS = Set.of("br", "p", "div", "tr", "li", "ul", "ol", "table",
            "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "section", "article", "header",
            "footer", "td", "th", "dd", "dt", "title");

    static {
        // HTML 4.01 §24.2: the Latin-1 entities, code points 160..255 in order.
        String latin1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg "
                + "plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest "
                + "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute "
                + "Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml "
                + "Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml "
                + "igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute "
                + "ucirc uuml yacute thorn yuml";
        String[] names = latin1.split(" ");
        if (names.length != 96) throw new AssertionError("latin-1 entity table has " + names.length);
        for (int i = 0; i < names.length; i++) ENTITIES.put(names[i], 160 + i);
        ENTITIES.put("nbsp", (int) ' ');
        Object[][] more = {
            {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"euro", '\u20AC'},
            {"hellip", '\u2026'}, {"mdash", '\u2014'}, {"ndash", '\u2013'}, {"lsquo", '\u2018'},
            {"rsquo", '\u2019'}, {"sbquo", '\u201A'}, {"ldquo", '\u201C'}, {"rdquo", '\u201D'},
            {"bdquo", '\u201E'}, {"bull", '\u2022'}, {"trade", '\u2122'}, {"dagger", '\u2020'},
            {"Dagger", '\u2021'}, {"permil", '\u2030'}, {"lsaquo", '\u2039'}, {"rsaquo", '\u203A'},
            {"OElig", '\u0152'}, {"oelig", '\u0153'}, {"Scaron", '\u0160'}, {"scaron", '\u0161'},
            {"Yuml", '\u0178'}, {"fnof", '\u0192'}, {"circ", '\u02C6'}, {"tilde", '\u02DC'},
            {"ensp", ' '}, {"emsp", ' '}, {"thinsp", ' '}, {"zwnj", '\u200C'}, {"zwj", '\u200D'},
            {"lrm", '\u200E'}, {"rlm", '\u200F'},
        };
        for (Object[] e : more) ENTITIES.put((String) e[0], (int) (char) (Character) e[1]);
    }

    static String toText(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<' && startsMarkup(html, i)) {
                i = skipMarkup(html, i, out);
            } else if (c == '&') {
                i = decodeReference(html, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return normalizeWhitespace(out);
    }

    /** Skips a tag, comment or declaration starting at {@code i}; returns the index after it. */
    private static int skipMarkup(String html, int i, StringBuilder out) {
        if (html.startsWith("<!--", i)) {
            int end = html.indexOf("-->", i + 4);
            return end < 0 ? html.length() : end + 3;
        }
        int close = html.indexOf('>', i + 1);
        if (close < 0) return html.length();
        int nameStart = i + 1;
        if (nameStart < close && html.charAt(nameStart) == '/') nameStart++;
        int nameEnd = nameStart;
        while (nameEnd < close && Character.isLetterOrDigit(html.charAt(nameEnd))) nameEnd++;
        String name = html.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        boolean endTag = html.charAt(i + 1) == '/';
        if (!endTag && (name.equals("script") || name.equals("style"))) {
            int end = indexOfIgnoreCase(html, "</" + name, close);
            if (end < 0) return html.length();
            int endClose = html.indexOf('>', end);
            return endClose < 0 ? html.length() : endClose + 1;
        }
        out.append(BLOCK_TAGS.contains(name) ? '\n' : ' ');
        return close + 1;
    }

    /** A '<' opens markup only before a letter, '/', '!' or '?'; otherwise it is text ("a < b"). */
    private static boolean startsMarkup(String html, int i) {
        if (i + 1 >= html.length()) return false;
        char next = html.charAt(i + 1);
        return Character.isLetter(next) || next == '/' || next == '!' || next == '?';
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int i = Math.max(0, from); i + needle.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) return i;
        }
        return -1;
    }

    /** Decodes a character reference at {@code i}, or emits a literal '&'. */
    private static int decodeReference(String html, int i, StringBuilder out) {
        int n = html.length();
        if (i + 2 < n && html.charAt(i + 1) == '#') {
            boolean hex = html.charAt(i + 2) == 'x' || html.charAt(i + 2) == 'X';
            int j = i + (hex ? 3 : 2);
            int start = j;
            long cp = 0;
            while (j < n && j - start < 8 && Character.digit(html.charAt(j), hex ? 16 : 10) >= 0) {
                cp = cp * (hex ? 16 : 10) + Character.digit(html.charAt(j), hex ? 16 : 10);
                j++;
            }
            if (j > start) {
                boolean valid = cp > 0 && cp <= Character.MAX_CODE_POINT && (cp < 0xD800 || cp > 0xDFFF);
                out.appendCodePoint(valid ? (int) cp : 0xFFFD);
                return j < n && html.charAt(j) == ';' ? j + 1 : j;
            }
        } else {
            int j = i + 1;
            while (j < n && j - i <= 10 && Character.isLetterOrDigit(html.charAt(j))) j++;
            if (j < n && html.charAt(j) == ';') {
                Integer cp = ENTITIES.get(html.substring(i + 1, j));
                if (cp != null) {
                    out.appendCodePoint(cp);
                    return j + 1;
                }
            }
        }
        out.append('&');
        return i + 1;
    }

    /** Collapses runs of spaces to one space and runs of line breaks to one line break. */
    static String normalizeWhitespace(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean pendingSpace = false;
        boolean pendingBreak = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                pendingBreak = true;
            } else if (Character.isWhitespace(c) || c == '\u00A0') {
                pendingSpace = true;
            } else {
                if (!out.isEmpty()) {
                    if (pendingBreak) out.append('\n');
                    else if (pendingSpace) out.append(' ');
                }
                pendingSpace = false;
                pendingBreak = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
