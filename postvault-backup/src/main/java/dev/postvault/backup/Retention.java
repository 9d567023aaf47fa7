package dev.postvault.backup;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which versions to keep: the newest version of each of the {@code daily} most recent days that have
 * one, and of each of the {@code weekly} most recent ISO weeks (UTC). The newest version is always kept.
 */
public record Retention(int daily, int weekly) {
    public static final Retention DEFAULT = new Retention(7, 4);

    public Retention {
        if (daily < 1 || weekly < 0) throw new IllegalArgumentException("keep at least one daily version");
    }

    /** The versions to delete, from a list ordered newest first. */
    public List<Manifest> expired(List<Manifest> newestFirst) {
        Set<String> keep = new HashSet<>();
        Set<LocalDate> days = new HashSet<>();
        Set<String> weeks = new HashSet<>();
        for (Manifest m : newestFirst) {
            LocalDate d = m.created().atOffset(ZoneOffset.UTC).toLocalDate();
            String w = d.get(IsoFields.WEEK_BASED_YEAR) + "-" + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            if (!days.contains(d) && days.size() < daily) {
                days.add(d);
                keep.add(m.version());
            }
            if (!weeks.contains(w) && weeks.size() < weekly) {
                weeks.add(w);
                keep.add(m.version());
            }
        }
        if (!newestFirst.isEmpty()) keep.add(newestFirst.getFirst().version());
        return newestFirst.stream().filter(m -> !keep.contains(m.version())).toList();
    }
}
