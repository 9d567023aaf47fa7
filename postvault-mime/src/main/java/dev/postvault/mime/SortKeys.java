package dev.postvault.mime;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What IMAP SORT, THREAD and the SENT* search keys compare, derived from a message's envelope once
 * (RFC 5256 §2.1-§3, RFC 5957 §3, RFC 9051 §6.4.4). The mailbox keeps these beside each message, so
 * a sort of a large folder reads a few small columns instead of decoding every envelope. Strings are
 * already case-mapped with i;ascii-casemap (RFC 4790 §9.2), the collation SORT uses.
 *
 * @param sentAt      the Date: header's instant (RFC 5256 §2.2), when it can be read; SORT falls back to
 *                    the internal date
 * @param sentDay     the Date: header's own calendar date, disregarding time and zone (SENTBEFORE, SENTON,
 *                    SENTSINCE), when it can be read
 * @param subject     the base subject (RFC 5256 §2.1)
 * @param from        the addr-mailbox of the first From address (RFC 5256 §3 FROM); likewise {@code to} and {@code cc}
 * @param displayFrom the display name of the first From address, else its address (RFC 5957 §3); likewise {@code displayTo}
 */
public record SortKeys(Optional<Instant> sentAt, Optional<LocalDate> sentDay, String subject, String from, String to, String cc,
                       String displayFrom, String displayTo) {
    /**
     * The keys a sort may ask for, so that a store reads only their columns: {@code SENT} is
     * {@link #sentAt} with {@link #sentDay}, the others one string each.
     */
    public enum Field { SENT, SUBJECT, FROM, TO, CC, DISPLAY_FROM, DISPLAY_TO }

    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s*\\(.*\\)\\s*$");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\r\\n ]+");
    private static final Pattern FWD_TRAILER = Pattern.compile("(?i)\\s*\\(fwd\\)\\s*$");
    private static final Pattern LEADER = Pattern.compile("(?i)^(\\[[^\\[\\]]*\\]\\s*)*(re|fwd?)\\s*(\\[[^\\[\\]]*\\])?\\s*:\\s*");
    private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\]\\s*");

    public static SortKeys of(Envelope e) {
        Optional<OffsetDateTime> date = headerDate(e);
        return new SortKeys(
                date.map(OffsetDateTime::toInstant).or(e::parsedDate),
                date.map(OffsetDateTime::toLocalDate).or(() -> e.parsedDate().map(i -> i.atOffset(ZoneOffset.UTC).toLocalDate())),
                caseMap(baseSubject(e.decodedSubject().orElse(""))),
                caseMap(addrMailbox(e.from())), caseMap(addrMailbox(e.to())), caseMap(addrMailbox(e.cc())),
                caseMap(display(e.from())), caseMap(display(e.to())));
    }

    /** The Date: header as RFC 5322 §3.3 writes it, without a trailing comment such as "(CET)". */
    private static Optional<OffsetDateTime> headerDate(Envelope e) {
        return e.date().flatMap(v -> {
            try {
                return Optional.of(OffsetDateTime.parse(TRAILING_COMMENT.matcher(v).replaceAll("").strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException ex) {
                return Optional.empty();
            }
        });
    }

    /** RFC 5256 §2.1 step (1): runs of whitespace become one space, and the ends are trimmed. */
    public static String collapse(String subject) {
        return WHITESPACE.matcher(subject).replaceAll(" ").strip();
    }

    /** RFC 5256 §2.1 base subject: without Re:/Fw:/Fwd:, [blob] prefixes, (fwd) trailers and [fwd: ...] wrappers. */
    public static String baseSubject(String subject) {
        String s = collapse(subject); // (1) collapse whitespace
        while (true) {
            String before = s;
            // (2) remove trailing "(fwd)" and whitespace, repeatedly
            while (true) {
                String t = FWD_TRAILER.matcher(s).replaceAll("").stripTrailing();
                if (t.equals(s)) break;
                s = t;
            }
            // (3)-(5) remove subj-leader: [blob]* then re/fw/fwd [blob] ":" ; or a lone [blob] if text remains
            while (true) {
                String t = LEADER.matcher(s).replaceFirst("");
                if (t.equals(s)) {
                    String blob = BLOB.matcher(s).replaceFirst("");
                    if (!blob.equals(s) && !blob.isEmpty()) t = blob;
                }
                if (t.equals(s)) break;
                s = t;
            }
            // (6) "[fwd:" subject "]" wrapper
            if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1).strip();
            }
            if (s.equals(before)) return s;
        }
    }

    /** i;ascii-casemap (RFC 4790 §9.2): ASCII letters compared without case. */
    public static String caseMap(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }

    /**
     * RFC 5256 §3: the addr-mailbox of the first address, empty without one. A group's first entry
     * is its name, which stands in the mailbox field of the IMAP address (RFC 3501 §7.4.2).
     */
    private static String addrMailbox(List<EnvelopeAddress> list) {
        if (list.isEmpty()) return "";
        return switch (list.getFirst()) {
            case EnvelopeAddress.Mailbox m -> m.mailbox();
            case EnvelopeAddress.GroupStart g -> g.groupName();
            case EnvelopeAddress.GroupEnd e -> "";
        };
    }

    /** RFC 5957 §3: the decoded display name of the first address, else its addr-spec. */
    private static String display(List<EnvelopeAddress> list) {
        if (list.isEmpty()) return "";
        return switch (list.getFirst()) {
            case EnvelopeAddress.Mailbox m -> m.decodedName().filter(n -> !n.isBlank())
                    .orElse(m.mailbox() + (m.host().isEmpty() ? "" : "@" + m.host()));
            case EnvelopeAddress.GroupStart g -> g.decodedGroupName();
            case EnvelopeAddress.GroupEnd e -> "";
        };
    }
}
