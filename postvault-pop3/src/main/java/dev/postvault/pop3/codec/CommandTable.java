package dev.postvault.pop3.codec;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one table of POP3 commands: keyword, the states that allow it, the RFC section, and how its
 * arguments parse. {@link Pop3CommandParser} consults it once per line.
 */
public enum CommandTable {
    CAPA("RFC 2449 §5", EnumSet.allOf(Pop3State.class), Args.none(a -> new Pop3Command.Capa())),
    USER("RFC 1939 §7", EnumSet.of(Pop3State.AUTHORIZATION), Args.one(Pop3Command.User::new)),
    PASS("RFC 1939 §7", EnumSet.of(Pop3State.AUTHORIZATION), Args.restOfLine(Pop3Command.Pass::new)),
    AUTH("RFC 5034 §4", EnumSet.of(Pop3State.AUTHORIZATION), Args::auth),
    STLS("RFC 2595 §4", EnumSet.of(Pop3State.AUTHORIZATION), Args.none(a -> new Pop3Command.Stls())),
    STAT("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.none(a -> new Pop3Command.Stat())),
    LIST("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.optionalMessage(Pop3Command.ListMessages::new)),
    UIDL("RFC 1939 §7", EnumSet.of(Pop3State.TRANSACTION), Args.optionalMessage(Pop3Command.Uidl::new)),
    RETR("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.message(Pop3Command.Retr::new)),
    TOP("RFC 1939 §7", EnumSet.of(Pop3State.TRANSACTION), Args::top),
    DELE("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.message(Pop3Command.Dele::new)),
    RSET("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.none(a -> new Pop3Command.Rset())),
    NOOP("RFC 1939 §5", EnumSet.of(Pop3State.TRANSACTION), Args.none(a -> new Pop3Command.Noop())),
    QUIT("RFC 1939 §4, §6", EnumSet.allOf(Pop3State.class), Args.none(a -> new Pop3Command.Quit()));

    private static final Map<String, CommandTable> BY_KEYWORD =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(CommandTable::name, c -> c));

    final String rfc;
    final Set<Pop3State> states;
    final Function<String, Pop3Command> arguments;

    CommandTable(String rfc, Set<Pop3State> states, Function<String, Pop3Command> arguments) {
        this.rfc = rfc;
        this.states = states;
        this.arguments = arguments;
    }

    /** RFC 1939 §3: keywords are case-insensitive. */
    static Optional<CommandTable> lookup(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword.toUpperCase(Locale.ROOT)));
    }

    public boolean allowedIn(Pop3State state) {
        return states.contains(state);
    }

    public String rfc() {
        return rfc;
    }

    /** Argument parsers; each throws {@link IllegalArgumentException} with a message for the client. */
    private static final class Args {
        private Args() {}

        static Function<String, Pop3Command> none(Function<String, Pop3Command> make) {
            return a -> {
                if (!a.isEmpty()) throw new IllegalArgumentException("no arguments expected");
                return make.apply(a);
            };
        }

        static Function<String, Pop3Command> one(Function<String, Pop3Command> make) {
            return a -> {
                String[] w = words(a);
                if (w.length != 1) throw new IllegalArgumentException("one argument expected");
                return make.apply(w[0]);
            };
        }

        static Function<String, Pop3Command> restOfLine(Function<String, Pop3Command> make) {
            return a -> {
                if (a.isEmpty()) throw new IllegalArgumentException("argument expected");
                return make.apply(a);
            };
        }

        static Function<String, Pop3Command> message(java.util.function.IntFunction<Pop3Command> make) {
            return a -> {
                String[] w = words(a);
                if (w.length != 1) throw new IllegalArgumentException("message number expected");
                return make.apply(number(w[0], 1));
            };
        }

        static Function<String, Pop3Command> optionalMessage(Function<java.util.OptionalInt, Pop3Command> make) {
            return a -> {
                String[] w = words(a);
                if (w.length > 1) throw new IllegalArgumentException("at most one message number expected");
                return make.apply(w.length == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(number(w[0], 1)));
            };
        }

        static Pop3Command top(String a) {
            String[] w = words(a);
            if (w.length != 2) throw new IllegalArgumentException("message number and line count expected");
            return new Pop3Command.Top(number(w[0], 1), number(w[1], 0));
        }

        static Pop3Command auth(String a) {
            String[] w = words(a);
            if (w.length > 2) throw new IllegalArgumentException("mechanism and at most one initial response expected");
            return new Pop3Command.Auth(w.length > 0 ? Optional.of(w[0]) : Optional.empty(),
                    w.length > 1 ? Optional.of(w[1]) : Optional.empty());
        }

        private static String[] words(String a) {
            return a.isBlank() ? new String[0] : a.strip().split(" +");
        }

        /** RFC 1939 §3: numbers are decimal; message numbers start at 1. */
        private static int number(String s, int min) {
            if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException("invalid number");
            }
            int n = Integer.parseInt(s);
            if (n < min) throw new IllegalArgumentException(min == 1 ? "message numbers start at 1" : "invalid number");
            return n;
        }
    }
}
