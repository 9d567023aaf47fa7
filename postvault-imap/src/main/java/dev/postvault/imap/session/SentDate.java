package dev.postvault.imap.session;

import dev.postvault.mime.Envelope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The Date: header as SEARCH SENT*, SORT (DATE) and THREAD use it (RFC 9051 §6.4.4, RFC 5256 §2.2):
 * its own calendar date for searches, its instant for ordering, the internal date when it is
 * missing or unreadable.
 */
final class SentDate {
    private static final java.util.regex.Pattern TRAILING_COMMENT = java.util.regex.Pattern.compile("\\s*\\(.*\\)\\s*$");

    private SentDate() {}

    static Optional<OffsetDateTime> parse(Envelope e) {
        return e.date().flatMap(v -> {
            try {
                // RFC 5322 §3.3, without a trailing comment such as "(CET)".
                return Optional.of(OffsetDateTime.parse(TRAILING_COMMENT.matcher(v).replaceAll("").strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException ex) {
                return Optional.empty();
            }
        });
    }

    /** The header's own date, disregarding time and zone; falls back to the parsed instant in UTC. */
    static Optional<LocalDate> localDate(Envelope e) {
        return parse(e).map(OffsetDateTime::toLocalDate)
                .or(() -> e.parsedDate().map(i -> i.atOffset(ZoneOffset.UTC).toLocalDate()));
    }

    static Instant instant(Envelope e, Instant fallback) {
        return parse(e).map(OffsetDateTime::toInstant).or(e::parsedDate).orElse(fallback);
    }
}
