package dev.postvault.imap.codec;

import java.util.Optional;

/**
 * A literal announcement at the end of a line: {@code {n}}, {@code {n+}} or {@code ~{n}}
 * (RFC 9051 §9 literal, literal8; RFC 7888). Found from the end so that a line can be skipped
 * without parsing it, to resynchronise after an error.
 */
record LiteralMarker(long sizeBytes, boolean synchronizing, boolean binary) {

    /** Sizes with more digits than this are treated as {@link Long#MAX_VALUE}. */
    private static final int MAX_DIGITS = 18;

    /** The marker ending {@code bytes[0..length)}, if any. */
    static Optional<LiteralMarker> trailing(byte[] bytes, int length) {
        int i = length - 1;
        if (i < 0 || bytes[i] != '}') {
            return Optional.empty();
        }
        i--;
        boolean nonSync = i >= 0 && bytes[i] == '+';
        if (nonSync) {
            i--;
        }
        int lastDigit = i;
        while (i >= 0 && ImapSyntax.isDigit(bytes[i])) {
            i--;
        }
        if (i == lastDigit || i < 0 || bytes[i] != '{') {
            return Optional.empty();
        }
        boolean binary = i >= 1 && bytes[i - 1] == '~';
        return Optional.of(new LiteralMarker(parseSize(bytes, i + 1, lastDigit + 1), !nonSync, binary));
    }

    static long parseSize(byte[] bytes, int from, int to) {
        int start = from;
        while (start < to - 1 && bytes[start] == '0') {
            start++;
        }
        if (to - start > MAX_DIGITS) {
            return Long.MAX_VALUE;
        }
        long value = 0;
        for (int i = start; i < to; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }
}
