package dev.postvault.smtp.codec;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Delivery status notification parameters (RFC 3461 §4): RET and ENVID on MAIL, NOTIFY and ORCPT on
 * RCPT, and the xtext encoding their values use (§4, "+" and two hex digits for anything outside
 * "!" to "~", "+" and "=").
 */
public final class DsnParameters {
    /** RET (§4.3): return the full message or only its header in a failure report. */
    public enum Ret { FULL, HDRS }

    /** NOTIFY's conditions (§4.1); NEVER is an empty set. */
    public enum Notify { SUCCESS, FAILURE, DELAY }

    /** ENVID's decoded value is at most 100 characters (§4.4). */
    public static final int MAX_ENVID = 100;
    /** ORCPT's decoded address is at most 500 characters (§4.2). */
    public static final int MAX_ORCPT = 500;

    /**
     * A recipient's parameters.
     *
     * @param notifyOn NOTIFY: when to report: empty when not given (the server's default: failures and delays),
     *     an empty set for NEVER
     * @param originalRecipient ORCPT as "addr-type;address", the address decoded from xtext
     */
    public record Recipient(Optional<Set<Notify>> notifyOn, Optional<String> originalRecipient) {
        public static final Recipient NONE = new Recipient(Optional.empty(), Optional.empty());

        public Recipient {
            notifyOn = notifyOn.map(n -> n.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(n)));
        }

        /** Whether a report is wanted on this condition: NOTIFY when given, else failures and delays. */
        public boolean wants(Notify condition) {
            return notifyOn.map(n -> n.contains(condition)).orElse(condition != Notify.SUCCESS);
        }

        public boolean any() {
            return notifyOn.isPresent() || originalRecipient.isPresent();
        }
    }

    private DsnParameters() {}

    /** A recipient's parameters as kept in text: NOTIFY's value ("" when not given) and ORCPT ("" when not given). */
    public static Recipient recipient(String notifyValue, String orcpt) {
        Set<Notify> n = notifyValue.isEmpty() ? null : notify(notifyValue);
        return new Recipient(Optional.ofNullable(n), orcpt.isEmpty() ? Optional.empty() : Optional.of(orcpt));
    }

    /** NOTIFY's value for a set of conditions: "NEVER" for none. */
    public static String notifyValue(Set<Notify> conditions) {
        if (conditions.isEmpty()) return "NEVER";
        return String.join(",", EnumSet.copyOf(conditions).stream().map(Enum::name).toList());
    }

    /** NOTIFY="NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ) (§4.1); null for a value that is not. */
    static Set<Notify> notify(String value) {
        if (value.equalsIgnoreCase("NEVER")) return Set.of();
        EnumSet<Notify> out = EnumSet.noneOf(Notify.class);
        for (String part : value.split(",", -1)) {
            Notify n;
            try {
                n = Notify.valueOf(part.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!out.add(n)) return null;
        }
        return out;
    }

    /** xtext (§4): printable ASCII but "+" and "="; "+XX" for any octet. Null when malformed. */
    public static String decodeXtext(String xtext) {
        var out = new java.io.ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) return null;
                char h = xtext.charAt(i + 1);
                char l = xtext.charAt(i + 2);
                int hi = Character.digit(h, 16);
                int lo = Character.digit(l, 16);
                if (hi < 0 || lo < 0 || Character.isLowerCase(h) || Character.isLowerCase(l)) return null; // hexchar is upper case
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c >= '!' && c <= '~' && c != '=') {
                out.write(c);
            } else {
                return null;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The xtext of {@code text} (its UTF-8 octets), for passing a parameter on to the next server. */
    public static String encodeXtext(String text) {
        StringBuilder b = new StringBuilder();
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') b.append((char) c);
            else b.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return b.toString();
    }
}
