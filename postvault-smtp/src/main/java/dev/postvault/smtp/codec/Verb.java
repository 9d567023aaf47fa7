package dev.postvault.smtp.codec;

import java.util.Locale;
import java.util.Optional;

/** The command verbs this server understands. Matching is case-insensitive (RFC 5321 §2.4). */
public enum Verb {
    EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, VRFY, HELP, STARTTLS, AUTH;

    /** The verb spelled by {@code word} in any case, or empty when it is not one we know. */
    public static Optional<Verb> of(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        for (Verb verb : values()) {
            if (verb.name().equals(upper)) {
                return Optional.of(verb);
            }
        }
        return Optional.empty();
    }
}
