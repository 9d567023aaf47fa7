package dev.postvault.store.mailbox;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the dates of {@code messages} (internal and save date), which are written with
 * {@link Instant#toString()}: {@code 2026-12-07T15:22:11Z}, with 3, 6 or 9 fraction digits when
 * there are any. A SELECT reads two per message, and {@link Instant#parse}'s general formatter was
 * most of a large folder's SELECT; this reads that one shape directly and leaves anything else
 * (years past 9999, before year 0) to {@link Instant#parse}.
 */
final class StoredInstant {
    private StoredInstant() {}

    static Instant parse(String s) {
        return parse(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), s);
    }

    /**
     * The column's text as SQLite holds it (UTF-8 bytes, {@code ResultSet.getBytes}): a SELECT of a
     * large folder reads two dates per message, and making a String of each first was half its work.
     */
    static Instant parse(byte[] s) {
        return parse(s, null);
    }

    private static Instant parse(byte[] s, String text) {
        int n = s.length;
        if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[n - 1] != 'Z') {
            return general(s, text);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s[19] != '.' || fraction < 1 || fraction > 9) return general(s, text);
            nanos = digits(s, 20, n - 1);
            if (nanos < 0) return general(s, text);
            for (int i = fraction; i < 9; i++) nanos *= 10;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return general(s, text);
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** Anything else {@link Instant#parse} reads (or refuses with its own exception). */
    private static Instant general(byte[] s, String text) {
        return Instant.parse(text != null ? text : new String(s, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a byte there is not a digit. */
    private static int digits(byte[] s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            byte c = s[i];
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
