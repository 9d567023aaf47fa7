package dev.postvault.imap.codec;

import java.util.Objects;
import java.util.Optional;

/** What {@link ImapCommandReader#read} returns: a command, a recoverable error, or the end. */
public sealed interface ReadResult {

    /**
     * A complete, valid command, allowed in the state passed to the reader.
     *
     * @param tag     the client's tag
     * @param spec    the command table entry (name, states, RFC section)
     * @param command the parsed command
     */
    record TaggedCommand(String tag, ImapCommandSpec spec, ImapCommand command) implements ReadResult {
        public TaggedCommand {
            Objects.requireNonNull(tag);
            Objects.requireNonNull(spec);
            Objects.requireNonNull(command);
        }
    }

    /**
     * A command that could not be accepted. The reader has already resynchronised: the next
     * {@code read} starts at the next command. Answer with
     * {@link ImapResponseWriter#parseError(ParseError)}: {@code tag STATUS [code] message} when
     * the tag is known, otherwise {@code * BAD message}. A synchronizing literal of the rejected
     * command got no continuation request and none of its octets was read (RFC 9051 §7.5); the
     * non-synchronizing literals the client sends regardless were read and discarded, unless
     * they exceed the discard limit ({@code fatal}).
     *
     * @param tag          the command's tag, when it could be read
     * @param status       {@link ResponseStatus#BAD} for syntax errors, {@link ResponseStatus#NO}
     *                     for valid syntax refused (too big, unsupported charset, ...)
     * @param responseCode e.g. TOOBIG, BADCHARSET
     * @param message      human-readable text, ASCII, safe to send
     * @param fatal        the reader cannot resynchronise (an oversized non-synchronizing literal
     *                     is on its way): send the response, then {@code * BYE} and close. All
     *                     further reads return {@link EndOfStream}.
     */
    record ParseError(Optional<String> tag, ResponseStatus status, Optional<ResponseCode> responseCode,
                      String message, boolean fatal) implements ReadResult {
        public ParseError {
            Objects.requireNonNull(tag);
            Objects.requireNonNull(status);
            Objects.requireNonNull(responseCode);
            Objects.requireNonNull(message);
        }
    }

    /** The client closed the connection (possibly in the middle of a command), or a fatal error came first. */
    record EndOfStream() implements ReadResult {
    }
}
