package dev.postvault.imap.codec;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A search program as a tree (RFC 9051 §6.4.4 and §9 search-key, with RFC 5032 WITHIN, RFC 7162
 * MODSEQ, RFC 8474 EMAILID/THREADID and RFC 8514 SAVEDATE keys). Strings are already decoded with
 * the command's CHARSET. A list of keys, top level or parenthesised, is an {@link And}.
 */
public sealed interface SearchKey {

    /** ALL. */
    record All() implements SearchKey {
    }

    /** Several keys that must all match: the top-level list or "(" key *(SP key) ")". */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("AND of nothing");
            }
        }
    }

    /** OR key1 key2. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {
        public Or {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }
    }

    /** NOT key. */
    record Not(SearchKey key) implements SearchKey {
        public Not {
            Objects.requireNonNull(key);
        }
    }

    /** A bare sequence set: message sequence numbers (may be "$", RFC 5182). */
    record SequenceNumbers(SequenceSet set) implements SearchKey {
    }

    /** UID sequence-set (may be "$"). */
    record Uids(SequenceSet set) implements SearchKey {
    }

    /**
     * A flag test: ANSWERED, DELETED, DRAFT, FLAGGED, SEEN and KEYWORD have {@code set == true}; the
     * UN... forms have {@code set == false}. System flags are canonical ("\Seen"), keywords as sent.
     */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /** RECENT (RFC 3501 only). */
    record Recent() implements SearchKey {
    }

    /** NEW = RECENT UNSEEN (RFC 3501 only). */
    record New() implements SearchKey {
    }

    /** OLD = NOT RECENT (RFC 3501 only). */
    record Old() implements SearchKey {
    }

    /**
     * A header substring match. FROM, TO, CC, BCC and SUBJECT map to their field names ("From",
     * "To", "Cc", "Bcc", "Subject"); HEADER keeps the name as sent. An empty value matches every
     * message that has the field.
     */
    record Header(String fieldName, String value) implements SearchKey {
    }

    /** BODY string. */
    record Body(String text) implements SearchKey {
    }

    /** TEXT string: header or body. */
    record Text(String text) implements SearchKey {
    }

    /**
     * X-REGEX string (this server's extension, capability X-POSTVAULT-REGEX): a Java regular
     * expression found anywhere in what TEXT searches, the decoded header fields and body text.
     * Compiled while parsing, so a bad pattern is BAD before anything runs.
     */
    record Regex(java.util.regex.Pattern pattern) implements SearchKey {
        /** Longest pattern accepted, in characters. */
        public static final int MAX_PATTERN_CHARS = 1000;

        @Override
        public boolean equals(Object o) {
            return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern()) && r.pattern.flags() == pattern.flags();
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }

    /** Which date a date key tests. */
    enum DateField {
        /** BEFORE / ON / SINCE: the internal date. */
        INTERNAL,
        /** SENTBEFORE / SENTON / SENTSINCE: the Date: header. */
        SENT,
        /** SAVEDBEFORE / SAVEDON / SAVEDSINCE (RFC 8514). */
        SAVED
    }

    enum Comparison {
        BEFORE, ON, SINCE
    }

    /** A date key; dates are compared disregarding time and time zone (RFC 9051 §6.4.4). */
    record Date(DateField field, Comparison comparison, LocalDate date) implements SearchKey {
        public Date {
            Objects.requireNonNull(field);
            Objects.requireNonNull(comparison);
            Objects.requireNonNull(date);
        }
    }

    /** SAVEDATESUPPORTED (RFC 8514). */
    record SaveDateSupported() implements SearchKey {
    }

    /** LARGER n: RFC822.SIZE greater than n. */
    record Larger(long sizeBytes) implements SearchKey {
    }

    /** SMALLER n: RFC822.SIZE less than n. */
    record Smaller(long sizeBytes) implements SearchKey {
    }

    /** Metadata item of a MODSEQ key (RFC 7162 §3.1.5 search-modseq-ext). */
    enum EntryType {
        PRIV, SHARED, ALL
    }

    /** The "/flags/..." entry of a MODSEQ key: {@code flag} as sent (e.g. "\\seen"). */
    record ModSeqEntry(String flag, EntryType type) {
    }

    /** MODSEQ [entry] n: messages whose mod-sequence is at least n (RFC 7162 §3.1.5). */
    record ModSeq(long modSeq, Optional<ModSeqEntry> entry) implements SearchKey {
    }

    /** OLDER n: internal date more than n seconds ago (RFC 5032). */
    record Older(long seconds) implements SearchKey {
    }

    /** YOUNGER n: internal date at most n seconds ago (RFC 5032). */
    record Younger(long seconds) implements SearchKey {
    }

    /** EMAILID objectid (RFC 8474 §6). */
    record EmailId(String objectId) implements SearchKey {
    }

    /** THREADID objectid (RFC 8474 §6). */
    record ThreadId(String objectId) implements SearchKey {
    }
}
