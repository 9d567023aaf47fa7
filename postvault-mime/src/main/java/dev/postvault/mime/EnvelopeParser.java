package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.DomainList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * Builds an {@link Envelope} from a message header, parsing address lists with mime4j.
 *
 * <p>Uses mime4j's {@link LenientAddressParser}, which decodes RFC 2047 encoded-words in display names
 * and does not keep 8-bit characters in local parts and domains intact, while ENVELOPE needs the raw
 * text. So before parsing, every character that is not printable ASCII, every {@code '#'} and every
 * {@code '='} that starts {@code "=?"} is replaced by {@code #XXXXXX} (six hex digits of the code
 * point); the escapes are atext, survive parsing unchanged, and are reversed on the results.
 */
final class EnvelopeParser {
    private EnvelopeParser() {}

    static Envelope parse(HeaderBlock header) {
        List<EnvelopeAddress> from = addresses(header, "from");
        List<EnvelopeAddress> sender = addresses(header, "sender");
        List<EnvelopeAddress> replyTo = addresses(header, "reply-to");
        return new Envelope(
                header.first("date"),
                header.first("subject"),
                from,
                // RFC 3501 §7.4.2: absent or empty Sender / Reply-To default to From.
                sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo,
                addresses(header, "to"),
                addresses(header, "cc"),
                addresses(header, "bcc"),
                header.first("in-reply-to"),
                header.first("message-id"));
    }

    private static List<EnvelopeAddress> addresses(HeaderBlock header, String name) {
        return header.first(name).map(EnvelopeParser::parseAddressList).orElse(List.of());
    }

    /** Parses an RFC 5322 §3.4 address-list (with §4.4 obsolete forms); never throws. */
    static List<EnvelopeAddress> parseAddressList(String value) {
        if (value.isBlank()) return List.of();
        String escaped = escape(commentsAsNames(value));
        AddressList list;
        try {
            // The lenient parser accepts RFC 5322 §3.4 and the §4.4 obsolete forms (routes, empty list
            // members, CFWS around dots) and recovers from garbage; it is also ten times cheaper than
            // mime4j's strict JavaCC parser, which matters when every delivery parses six fields.
            list = LenientAddressParser.DEFAULT.parseAddressList(escaped);
        } catch (RuntimeException | Error failure) {
            if (failure instanceof VirtualMachineError vme) throw vme;
            return List.of();
        }
        List<EnvelopeAddress> out = new ArrayList<>();
        for (Address a : list) {
            if (a instanceof Group g) {
                // RFC 3501 §7.4.2: group start is (NIL NIL name NIL), group end is (NIL NIL NIL NIL).
                out.add(new EnvelopeAddress.GroupStart(unescape(g.getName()).strip()));
                for (org.apache.james.mime4j.dom.address.Mailbox m : g.getMailboxes()) out.add(mailbox(m));
                out.add(new EnvelopeAddress.GroupEnd());
            } else if (a instanceof org.apache.james.mime4j.dom.address.Mailbox m) {
                out.add(mailbox(m));
            }
        }
        return List.copyOf(out);
    }

    private static EnvelopeAddress.Mailbox mailbox(org.apache.james.mime4j.dom.address.Mailbox m) {
        Optional<String> name = Optional.ofNullable(m.getName()).map(EnvelopeParser::unescape)
                .map(String::strip).filter(s -> !s.isEmpty());
        DomainList route = m.getRoute();
        Optional<String> adl = route == null || route.isEmpty()
                ? Optional.empty()
                : Optional.of(unescape(route.toRouteString()));
        return new EnvelopeAddress.Mailbox(name, adl, unescape(m.getLocalPart()), unescape(m.getDomain()));
    }

    private static final java.util.regex.Pattern ADDR_WITH_COMMENT =
            java.util.regex.Pattern.compile("^(\\s*)([^\\s()\"<>,:;]+@[^\\s()\"<>,:;]+)\\s*\\(([^()\"\\\\]*)\\)\\s*$");

    /**
     * {@code user@domain (Real Name)}: the old style of naming, where the only display name is a
     * comment. mime4j drops comments; IMAP servers (Dovecot, Cyrus) report the comment as the name,
     * so such members are rewritten as {@code "Real Name" <user@domain>} before parsing.
     */
    static String commentsAsNames(String value) {
        if (value.indexOf('(') < 0) return value;
        StringBuilder out = new StringBuilder(value.length() + 8);
        int start = 0;
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i <= value.length(); i++) {
            char ch = i < value.length() ? value.charAt(i) : ',';
            if (quoted) {
                if (ch == '\\') i++;
                else if (ch == '"') quoted = false;
                continue;
            }
            switch (ch) {
                case '"' -> quoted = true;
                case '(' -> depth++;
                case ')' -> depth = Math.max(0, depth - 1);
                case ',', ':', ';' -> {
                    if (depth > 0) continue;
                    String member = value.substring(start, i);
                    var m = ADDR_WITH_COMMENT.matcher(member);
                    out.append(m.matches() && !m.group(3).isBlank()
                            ? m.group(1) + "\"" + m.group(3).strip() + "\" <" + m.group(2) + ">"
                            : member);
                    if (i < value.length()) out.append(ch);
                    start = i + 1;
                }
                default -> { }
            }
        }
        return out.toString();
    }

    static String escape(String s) {
        int first = 0;
        while (first < s.length() && !escaped(s, first)) first++;
        if (first == s.length()) return s; // the common case: plain ASCII, nothing to escape
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (escaped(s, i)) {
                sb.append('#');
                for (int shift = 20; shift >= 0; shift -= 4) sb.append(HEX[(cp >>> shift) & 0xF]);
            } else {
                sb.append((char) cp);
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Whether the character at {@code i} must be escaped: '#', the start of an encoded word, controls, non-ASCII. */
    private static boolean escaped(String s, int i) {
        char c = s.charAt(i);
        return c == '#' || (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '?') || (c < 0x20 && c != '\t') || c > 0x7e;
    }

    static String unescape(String s) {
        if (s == null) return "";
        if (s.indexOf('#') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '#' && i + 7 <= s.length()) {
                int cp = parseHex(s, i + 1, i + 7);
                if (cp >= 0 && Character.isValidCodePoint(cp)) {
                    sb.appendCodePoint(cp);
                    i += 6;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static int parseHex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }
}
