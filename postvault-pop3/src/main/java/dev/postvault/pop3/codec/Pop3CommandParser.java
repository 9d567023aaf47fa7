package dev.postvault.pop3.codec;

/**
 * Turns one command line (without its CRLF) into a {@link Pop3Command}, or into an error message for
 * {@code -ERR}: RFC 1939 §3, a keyword of three or four characters, then arguments separated by spaces.
 */
public final class Pop3CommandParser {
    private Pop3CommandParser() {}

    /** The result of parsing one line. */
    public sealed interface Parsed {
        record Command(Pop3Command command) implements Parsed {}

        record Error(String message) implements Parsed {}
    }

    public static Parsed parse(String line, Pop3State state) {
        int sp = line.indexOf(' ');
        String keyword = sp < 0 ? line : line.substring(0, sp);
        String args = sp < 0 ? "" : line.substring(sp + 1);
        var entry = CommandTable.lookup(keyword);
        if (entry.isEmpty()) return new Parsed.Error("unknown command");
        if (!entry.get().allowedIn(state)) {
            return new Parsed.Error(entry.get().name() + " is not allowed " + (state == Pop3State.AUTHORIZATION ? "before login" : "after login"));
        }
        // PASS keeps its argument verbatim (RFC 1939 §7: spaces may be part of the password).
        String a = entry.get() == CommandTable.PASS ? args : args.stripTrailing();
        try {
            return new Parsed.Command(entry.get().arguments.apply(a));
        } catch (IllegalArgumentException e) {
            return new Parsed.Error(entry.get().name() + ": " + e.getMessage());
        }
    }
}
