package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A sequence set (RFC 9051 §9 sequence-set) of message sequence numbers or UIDs: a list of ranges
 * in client order, where {@link #STAR} stands for "*" (the largest number in use), or the saved
 * search result "$" (RFC 5182) when {@code savedResult} is true (then {@code ranges} is empty).
 *
 * <p>Membership needs the current largest number; "$" must first be replaced by the saved result
 * with {@link #resolveSaved(SequenceSet)}.
 *
 * @param ranges      ranges in the order the client sent them; a single number is a range of one
 * @param savedResult true for "$"
 */
public record SequenceSet(List<Range> ranges, boolean savedResult) {

    /** Stands for "*" in {@link Range#first()} and {@link Range#last()}. */
    public static final long STAR = Long.MAX_VALUE;

    /**
     * One seq-number or seq-range (RFC 9051 §9 seq-range): all numbers between the two ends, in
     * either order; an end may be {@link #STAR}.
     */
    public record Range(long first, long last) {
        public Range {
            if (first < 1 || last < 1) {
                throw new IllegalArgumentException("sequence numbers are positive");
            }
        }

        public static Range of(long number) {
            return new Range(number, number);
        }

        /** The smallest number of the range once "*" is replaced by {@code largest}. */
        public long lowest(long largest) {
            return Math.min(resolve(first, largest), resolve(last, largest));
        }

        /** The largest number of the range once "*" is replaced by {@code largest}. */
        public long highest(long largest) {
            return Math.max(resolve(first, largest), resolve(last, largest));
        }

        public boolean contains(long number, long largest) {
            return number >= lowest(largest) && number <= highest(largest);
        }

        public boolean usesStar() {
            return first == STAR || last == STAR;
        }

        String wireForm() {
            String a = first == STAR ? "*" : Long.toString(first);
            if (first == last) {
                return a;
            }
            return a + ":" + (last == STAR ? "*" : Long.toString(last));
        }

        private static long resolve(long value, long largest) {
            return value == STAR ? largest : value;
        }
    }

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (savedResult && !ranges.isEmpty()) {
            throw new IllegalArgumentException("\"$\" has no ranges");
        }
        if (!savedResult && ranges.isEmpty()) {
            throw new IllegalArgumentException("a sequence set has at least one range");
        }
    }

    public static SequenceSet of(List<Range> ranges) {
        return new SequenceSet(ranges, false);
    }

    public static SequenceSet of(Range... ranges) {
        return new SequenceSet(List.of(ranges), false);
    }

    /** The single-number set {@code n}. */
    public static SequenceSet single(long number) {
        return of(Range.of(number));
    }

    /** "$", the result saved by SEARCH RETURN (SAVE) (RFC 5182). */
    public static SequenceSet saved() {
        return new SequenceSet(List.of(), true);
    }

    /** {@code saved} when this set is "$", otherwise this set. */
    public SequenceSet resolveSaved(SequenceSet saved) {
        Objects.requireNonNull(saved);
        return savedResult ? saved : this;
    }

    /**
     * Whether {@code number} is in the set, with "*" meaning {@code largest}.
     *
     * @throws IllegalStateException for "$": call {@link #resolveSaved(SequenceSet)} first
     */
    public boolean contains(long number, long largest) {
        requireResolved();
        for (Range range : ranges) {
            if (range.contains(number, largest)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any range mentions "*". */
    public boolean usesStar() {
        return ranges.stream().anyMatch(Range::usesStar);
    }

    /**
     * The ranges with "*" replaced by {@code largest}, each ordered low to high, sorted and with
     * overlapping or adjacent ranges merged; numbers below 1 are dropped (so with
     * {@code largest == 0}, an empty mailbox, "*" alone selects nothing and "1:*" selects 1).
     */
    public List<Range> normalized(long largest) {
        requireResolved();
        List<long[]> spans = new ArrayList<>();
        for (Range range : ranges) {
            long high = range.highest(largest);
            if (high >= 1) { // "*" in an empty mailbox resolves to 0 and selects nothing
                spans.add(new long[] {Math.max(1, range.lowest(largest)), high});
            }
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        List<Range> merged = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long[] span : spans) {
            if (start < 0) {
                start = span[0];
                end = span[1];
            } else if (span[0] <= end + 1) {
                end = Math.max(end, span[1]);
            } else {
                merged.add(new Range(start, end));
                start = span[0];
                end = span[1];
            }
        }
        if (start > 0) {
            merged.add(new Range(start, end));
        }
        return List.copyOf(merged);
    }

    /** The wire form, e.g. {@code 2,4:7,9,12:*} or {@code $}. */
    public String wireForm() {
        if (savedResult) {
            return "$";
        }
        StringBuilder text = new StringBuilder();
        for (Range range : ranges) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(range.wireForm());
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "SequenceSet[" + wireForm() + "]";
    }

    private void requireResolved() {
        if (savedResult) {
            throw new IllegalStateException("\"$\" must be resolved against the saved search result first");
        }
    }
}
