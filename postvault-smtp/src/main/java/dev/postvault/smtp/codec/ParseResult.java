package dev.postvault.smtp.codec;

import java.util.Optional;

/** The outcome of parsing one command line: a command, or the error to reply with. */
public sealed interface ParseResult {

    record Parsed(SmtpCommand command) implements ParseResult {}

    /** {@code verb} is the recognised verb when the error is in its arguments. */
    record Invalid(ParseError error, Optional<Verb> verb) implements ParseResult {}
}
