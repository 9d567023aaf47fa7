package dev.postvault.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the benchmark results as aligned plain text and collects the targets for the summary. */
public final class Report {
    private final PrintStream out;
    private final List<Target> targets = new ArrayList<>();
    /** The summary's lines in order: each a {@link Target} or a reference figure ({@link String}). */
    private final List<Object> summary = new ArrayList<>();

    public Report(PrintStream out) {
        this.out = out;
    }

    public void section(String title) {
        out.println();
        out.println("== " + title);
    }

    public void timingHeader() {
        out.printf(Locale.ROOT, "   %-44s %6s %10s %10s %10s %10s%n", "", "N", "median", "p90", "min", "max");
    }

    /** One timing row, in milliseconds. */
    public void timing(String label, Stats s) {
        out.printf(Locale.ROOT, "   %-44s %6d %10s %10s %10s %10s  ms%n", label, s.count(),
                millis(s.medianNanos()), millis(s.p90Nanos()), millis(s.minNanos()), millis(s.maxNanos()));
    }

    public void value(String label, String value) {
        out.printf(Locale.ROOT, "   %-44s %s%n", label, value);
    }

    public void note(String text) {
        out.println("   " + text);
    }

    public void target(Target t) {
        targets.add(t);
        summary.add(t);
        out.println(" * " + t.describe());
    }

    /**
     * A figure printed beside the targets in the summary, for comparison, but not checked against
     * any target (and so not counted by {@code --strict}).
     */
    public void reference(String name, double measured, String unit, String why) {
        String line = "%-44s %10s %s  (%s)".formatted(name, number(measured), unit, why);
        summary.add(line);
        out.println(" - " + line);
    }

    public List<Target> targets() {
        return List.copyOf(targets);
    }

    public void summary() {
        section("Targets");
        for (Object line : summary) out.println("   " + (line instanceof Target t ? t.describe() : line));
        long missed = targets.stream().filter(t -> !t.met()).count();
        out.println(missed == 0 ? "   all targets met" : "   " + missed + " of " + targets.size() + " targets missed");
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%d", (long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes (%.3f MB)", n, n / 1e6);
    }
}
