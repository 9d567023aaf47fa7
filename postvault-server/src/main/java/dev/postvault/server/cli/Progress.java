package dev.postvault.server.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error for long commands: redrawn in place on a terminal, one line per
 * step otherwise (logs, pipes, tests), so it never mixes with the results on standard output.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private long done;

    Progress(PrintWriter err, String label, long total) {
        this(err, label, total, System.console() != null && System.console().isTerminal());
    }

    Progress(PrintWriter err, String label, long total, boolean terminal) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.terminal = terminal;
    }

    /** One more step done; {@code what} says which (no addresses when the output may be logged). */
    void step(String what) {
        done++;
        int filled = (int) (WIDTH * done / total);
        String bar = "[" + "=".repeat(filled) + (filled < WIDTH ? ">" : "") + " ".repeat(Math.max(0, WIDTH - filled - 1)) + "]";
        String line = String.format(Locale.ROOT, "%s %s %d/%d %s", label, bar, done, total, what);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            if (done >= total) err.println();
        } else {
            err.println(line);
        }
        err.flush();
    }
}
