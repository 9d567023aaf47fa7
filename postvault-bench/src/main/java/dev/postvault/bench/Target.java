package dev.postvault.bench;

/**
 * A goal from the design: {@code measured} must be at most (or at least) {@code limit}, both in {@code unit}.
 */
public record Target(String name, double measured, Comparison comparison, double limit, String unit) {
    public enum Comparison {
        AT_MOST("≤"),
        AT_LEAST("≥");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }
    }

    public static Target atMost(String name, double measured, double limit, String unit) {
        return new Target(name, measured, Comparison.AT_MOST, limit, unit);
    }

    public static Target atLeast(String name, double measured, double limit, String unit) {
        return new Target(name, measured, Comparison.AT_LEAST, limit, unit);
    }

    public boolean met() {
        return switch (comparison) {
            case AT_MOST -> measured <= limit;
            case AT_LEAST -> measured >= limit;
        };
    }

    public String describe() {
        return "%-44s %10s %s  target %s %s %s".formatted(name, Report.number(measured), unit, comparison.symbol,
                Report.number(limit), unit).stripTrailing() + (met() ? "   MET" : "   MISSED");
    }
}
