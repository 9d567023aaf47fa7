package dev.postvault.imap.codec;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** The date formats of RFC 9051 §9: date (SEARCH) and date-time (APPEND, INTERNALDATE). */
public final class ImapDates {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private ImapDates() {
    }

    /**
     * RFC 9051 §9 date-text = date-day "-" date-month "-" date-year, e.g. "1-Feb-1994"; without
     * the optional quotes. Empty if malformed or not a calendar date.
     */
    public static Optional<LocalDate> parseDate(String text) {
        int firstDash = text.indexOf('-');
        if (firstDash < 1 || firstDash > 2 || text.length() != firstDash + 9 || text.charAt(firstDash + 4) != '-') {
            return Optional.empty();
        }
        int day = digits(text, 0, firstDash); // RFC 9051 §9 date-day = 1*2DIGIT
        int month = month(text.substring(firstDash + 1, firstDash + 4));
        int year = digits(text, firstDash + 5, firstDash + 9); // date-year = 4DIGIT
        if (day < 0 || month < 0 || year < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * RFC 9051 §9 date-time without its quotes: date-day-fixed "-" date-month "-" date-year SP
     * time SP zone, e.g. "17-Jul-1996 02:44:25 -0700" or " 7-Feb-1994 21:52:25 -0800".
     */
    public static Optional<OffsetDateTime> parseDateTime(String text) {
        if (text.length() != 26 || text.charAt(2) != '-' || text.charAt(6) != '-' || text.charAt(11) != ' '
                || text.charAt(14) != ':' || text.charAt(17) != ':' || text.charAt(20) != ' ') {
            return Optional.empty();
        }
        // RFC 9051 §9 date-day-fixed = (SP DIGIT) / 2DIGIT
        int day = text.charAt(0) == ' ' ? digits(text, 1, 2) : digits(text, 0, 2);
        int month = month(text.substring(3, 6));
        int year = digits(text, 7, 11);
        int hour = digits(text, 12, 14); // RFC 9051 §9 time = 2DIGIT ":" 2DIGIT ":" 2DIGIT
        int minute = digits(text, 15, 17);
        int second = digits(text, 18, 20);
        char sign = text.charAt(21); // RFC 9051 §9 zone = ("+" / "-") 4DIGIT
        int zoneHours = digits(text, 22, 24);
        int zoneMinutes = digits(text, 24, 26);
        if (day < 0 || month < 0 || year < 0 || hour < 0 || minute < 0 || second < 0
                || (sign != '+' && sign != '-') || zoneHours < 0 || zoneMinutes < 0 || zoneMinutes > 59) {
            return Optional.empty();
        }
        try {
            int sign1 = sign == '-' ? -1 : 1;
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign1 * zoneHours, sign1 * zoneMinutes);
            return Optional.of(OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second), offset));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The date-time wire form without quotes, e.g. "17-Jul-1996 02:44:25 -0700" (seconds of the offset dropped). */
    public static String formatDateTime(OffsetDateTime time) {
        int offsetMinutes = time.getOffset().getTotalSeconds() / 60;
        char sign = offsetMinutes < 0 ? '-' : '+';
        int absolute = Math.abs(offsetMinutes);
        return String.format(Locale.ROOT, "%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                time.getDayOfMonth(), MONTHS[time.getMonthValue() - 1], time.getYear(),
                time.getHour(), time.getMinute(), time.getSecond(), sign, absolute / 60, absolute % 60);
    }

    /** The date wire form, e.g. "1-Feb-1994". */
    public static String formatDate(LocalDate date) {
        return date.getDayOfMonth() + "-" + MONTHS[date.getMonthValue() - 1] + "-"
                + String.format(Locale.ROOT, "%04d", date.getYear());
    }

    // RFC 9051 §9 date-month = "Jan" / "Feb" / ... / "Dec" (case-insensitive like all ABNF literals)
    private static int month(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
