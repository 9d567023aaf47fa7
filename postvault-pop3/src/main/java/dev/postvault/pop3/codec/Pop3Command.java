package dev.postvault.pop3.codec;

import java.util.Optional;
import java.util.OptionalInt;

/** A fully parsed POP3 command. Message numbers are 1-based as on the wire. */
public sealed interface Pop3Command {
    /** RFC 2449 §5. */
    record Capa() implements Pop3Command {}

    /** RFC 1939 §7. */
    record User(String name) implements Pop3Command {
        @Override
        public String toString() {
            return "User[redacted]";
        }
    }

    /** RFC 1939 §7: the argument is the rest of the line, spaces included. */
    record Pass(String password) implements Pop3Command {
        @Override
        public String toString() {
            return "Pass[redacted]";
        }
    }

    /**
     * RFC 5034 §4. Without a mechanism it asks for the list of mechanisms (the older RFC 1734 form
     * that clients still send). An initial response of "=" is an empty one.
     */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {
        @Override
        public String toString() {
            return "Auth[" + mechanism.orElse("") + (initialResponse.isPresent() ? ", redacted]" : "]");
        }
    }

    /** RFC 2595 §4. */
    record Stls() implements Pop3Command {}

    /** RFC 1939 §5. */
    record Stat() implements Pop3Command {}

    /** RFC 1939 §5. */
    record ListMessages(OptionalInt message) implements Pop3Command {}

    /** RFC 1939 §7. */
    record Uidl(OptionalInt message) implements Pop3Command {}

    /** RFC 1939 §5. */
    record Retr(int message) implements Pop3Command {}

    /** RFC 1939 §7. */
    record Top(int message, int lines) implements Pop3Command {}

    /** RFC 1939 §5. */
    record Dele(int message) implements Pop3Command {}

    /** RFC 1939 §5. */
    record Rset() implements Pop3Command {}

    /** RFC 1939 §5. */
    record Noop() implements Pop3Command {}

    /** RFC 1939 §4 (in AUTHORIZATION) and §6 (from TRANSACTION into UPDATE). */
    record Quit() implements Pop3Command {}
}
