package dev.postvault.imap.codec;

import java.util.Objects;

/**
 * One SORT criterion (RFC 5256 §5 sort-criterion, RFC 5957 DISPLAYFROM / DISPLAYTO).
 *
 * @param key     what to sort by
 * @param reverse REVERSE was given
 */
public record SortCriterion(Key key, boolean reverse) {

    public enum Key {
        ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO,
        /** RFC 5957 §3. */
        DISPLAYFROM,
        /** RFC 5957 §3. */
        DISPLAYTO
    }

    public SortCriterion {
        Objects.requireNonNull(key);
    }
}
