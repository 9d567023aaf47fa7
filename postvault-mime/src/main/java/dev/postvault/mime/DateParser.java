package dev.postvault.mime;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;

/**
 * RFC 5322 §3.3 date-time, with the obsolete syntax of §4.3: optional day name, comments and whitespace
 * anywhere, two- and three-digit years, optional seconds, alphabetic zones. Values that do not have
 * that shape at all go to mime4j's lenient parser; values that have it but name an impossible date
 * (31 Feb, 25:00) are rejected rather than rolled over.
 */
final class DateParser {
    private DateParser() {}

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    // RFC 5322 §4.3 obs-zone; military zones and unknown names are treated as -0000 (§4.3).
    private static final Map<String, Integer> ZONES = Map.of("ut", 0, "gmt", 0, "est", -5, "edt", -4,
            "cst", -6, "cdt", -5, "mst", -7, "mdt", -6, "pst", -8, "pdt", -7);

    /** Marker for "has the RFC 5322 shape but is not a real date". */
    private static final class Invalid extends Exception {
        Invalid() {
            super(null, null, false, false);
        }
    }

    static Optional<Instant> parse(String value) {
        try {
            Instant strict = parseRfc5322(tokens(value));
            if (strict != null) return Optional.of(strict);
        } catch (Invalid | DateTimeException e) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(DateTimeFieldLenientImpl.PARSER
                    .parse(new RawField("Date", value), DecodeMonitor.SILENT).getDate()).map(java.util.Date::toInstant);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Returns null when the shape does not match; throws Invalid when it matches with bad values. */
    private static Instant parseRfc5322(List<String> t) throws Invalid {
        int i = 0;
        if (i < t.size() && isAlpha(t.get(i))) {
            i++; // day-name, RFC 5322 §3.3 (the comma is optional in practice)
            if (i < t.size() && t.get(i).equals(",")) i++;
        }
        if (i + 5 > t.size() || !isDigits(t.get(i), 1, 2)) return null;
        int day = Integer.parseInt(t.get(i++));
        String monthToken = t.get(i++).toLowerCase(Locale.ROOT);
        int month = monthToken.length() >= 3 ? MONTHS.indexOf(monthToken.substring(0, 3)) + 1 : 0;
        if (month == 0 || !isAlpha(monthToken)) return null;
        if (!isDigits(t.get(i), 2, 9)) return null;
        String yearToken = t.get(i++);
        int year = Integer.parseInt(yearToken);
        // RFC 5322 §4.3: 2-digit years 00-49 are 20xx, 50-99 are 19xx; 3-digit years add 1900.
        if (yearToken.length() == 2) year += year < 50 ? 2000 : 1900;
        else if (yearToken.length() == 3) year += 1900;
        if (!isDigits(t.get(i), 1, 2) || !t.get(i + 1).equals(":") || i + 2 >= t.size()
                || !isDigits(t.get(i + 2), 1, 2)) {
            return null;
        }
        int hour = Integer.parseInt(t.get(i));
        int minute = Integer.parseInt(t.get(i + 2));
        i += 3;
        int second = 0;
        if (i + 1 < t.size() && t.get(i).equals(":") && isDigits(t.get(i + 1), 1, 2)) {
            second = Integer.parseInt(t.get(i + 1));
            i += 2;
        }
        int offsetMinutes = 0;
        if (i < t.size()) {
            String z = t.get(i);
            if ((z.startsWith("+") || z.startsWith("-")) && isDigits(z.substring(1), 4, 4)) {
                int hh = Integer.parseInt(z.substring(1, 3));
                int mm = Integer.parseInt(z.substring(3, 5));
                if (mm > 59) throw new Invalid();
                offsetMinutes = (z.charAt(0) == '-' ? -1 : 1) * (hh * 60 + mm);
            } else if (isAlpha(z)) {
                offsetMinutes = 60 * ZONES.getOrDefault(z.toLowerCase(Locale.ROOT), 0);
            }
        }
        if (hour > 23 || minute > 59 || second > 60 || Math.abs(offsetMinutes) > 18 * 60) throw new Invalid();
        // RFC 5322 §3.3 allows a leap second (60); java.time does not, so it is folded into :59.
        LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59));
        return local.toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
    }

    /** Splits into words, numbers, "," and ":"; comments (RFC 5322 §3.2.2, nested) become separators. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (depth > 0) {
                if (c == '\\') i++;
                else if (c == '(') depth++;
                else if (c == ')') depth--;
                continue;
            }
            boolean separator = c == '(' || c == ',' || c == ':' || Character.isWhitespace(c);
            if (separator || (!cur.isEmpty() && (c == '+' || c == '-'))) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            }
            if (c == '(') depth = 1;
            else if (c == ',' || c == ':') out.add(String.valueOf(c));
            else if (!Character.isWhitespace(c)) cur.append(c);
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static boolean isDigits(String s, int min, int max) {
        if (s.length() < min || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static boolean isAlpha(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 'a' || c > 'z') && (c < 'A' || c > 'Z')) return false;
        }
        return true;
    }
}
