package dev.postvault.imap.codec;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads client commands from a blocking stream (RFC 9051 §2.2.1: "the server ... is either
 * reading a line, or is reading a sequence of octets with a known count followed by a line").
 * One reader per connection, used by one thread; not thread-safe.
 *
 * <p>Driving it from a session:
 * <ol>
 *   <li>{@link #read(ImapState, LiteralContinuation)} with the current state. The continuation is
 *       called before each synchronizing literal; {@link LiteralContinuation#writingTo} writes
 *       {@code + Ready for literal data}. The reader checks the command table before any literal,
 *       so a command not allowed in the state is refused before the client sends its data.</li>
 *   <li>On {@link ReadResult.ParseError}, write {@link ImapResponseWriter#parseError} and read on
 *       (close after a fatal one).</li>
 *   <li>After IDLE: write {@code + idling}, then {@link #readIdleDone()}.</li>
 *   <li>During AUTHENTICATE: write {@code + challenge}, then {@link #readSaslResponse()}.</li>
 *   <li>After a successful ENABLE UTF8=ACCEPT (or IMAP4rev2): {@link #enableUtf8()}.</li>
 *   <li>Before STARTTLS or COMPRESS takes effect: {@link #bufferedBytes()} must be 0 for STARTTLS
 *       (pipelined plaintext is an injection attempt); for COMPRESS hand
 *       {@link #takeBufferedBytes()} to the inflater, then build a new reader on the new stream.</li>
 * </ol>
 * I/O errors surface as {@link java.io.UncheckedIOException}.
 */
public final class ImapCommandReader {

    private final WireInput input;
    private final ImapLimits limits;
    private final CommandCursor cursor;
    private final LineBuffer rawLine = new LineBuffer();
    private boolean utf8;
    private boolean closed;

    public ImapCommandReader(InputStream in) {
        this(in, ImapLimits.defaults());
    }

    public ImapCommandReader(InputStream in, ImapLimits limits) {
        this.input = new WireInput(in);
        this.limits = Objects.requireNonNull(limits);
        this.cursor = new CommandCursor(input, limits);
    }

    public ImapLimits limits() {
        return limits;
    }

    /**
     * UTF8=ACCEPT is enabled (RFC 6855) or the session is IMAP4rev2: quoted strings may hold
     * UTF-8 and mailbox names are UTF-8 instead of modified UTF-7. Cannot be undone.
     */
    public void enableUtf8() {
        utf8 = true;
    }

    public boolean utf8Enabled() {
        return utf8;
    }

    /**
     * Reads the next command completely, literals included.
     *
     * @param state        the session state; commands not allowed in it are refused
     * @param continuation called before each synchronizing literal
     * @return the command, a {@link ReadResult.ParseError} after which the reader stands at the
     *         next command, or {@link ReadResult.EndOfStream}
     */
    public ReadResult read(ImapState state, LiteralContinuation continuation) {
        Objects.requireNonNull(state);
        Objects.requireNonNull(continuation);
        if (closed) {
            return new ReadResult.EndOfStream();
        }
        cursor.begin(state, utf8, continuation);
        try {
            if (!cursor.readFirstLine()) {
                closed = true;
                return new ReadResult.EndOfStream();
            }
            // RFC 9051 §9 command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
            String tag = cursor.tag();
            cursor.sp();
            String name = cursor.keyword();
            if (name.equals("UID")) { // RFC 9051 §9 uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)
                cursor.sp();
                name = "UID " + cursor.keyword();
            }
            ImapCommandSpec spec = ImapCommandSpec.lookup(name)
                    .orElseThrow(() -> ParseException.bad("Unknown command"));
            if (!spec.allowedIn(state)) {
                throw ParseException.bad(spec.commandName() + " is not allowed in the "
                        + state.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " state");
            }
            cursor.command(spec);
            ImapCommand command = CommandParsers.parse(spec, cursor);
            cursor.expectEnd();
            return new ReadResult.TaggedCommand(tag, spec, command);
        } catch (ParseException e) {
            Optional<String> tag = cursor.errorTag();
            boolean fatal = cursor.resync();
            closed = fatal;
            return new ReadResult.ParseError(tag, e.status(), e.code(), e.getMessage(), fatal);
        } catch (EndOfInput e) {
            closed = true;
            return new ReadResult.EndOfStream();
        }
    }

    /**
     * Reads the line that ends IDLE (RFC 9051 §9 idle = "IDLE" CRLF "DONE"), case-insensitively.
     * Call after writing the continuation request; blocks until the client sends a line.
     */
    public IdleEnd readIdleDone() {
        return switch (readRawLine()) {
            case RawLine.Text text when text.text().equalsIgnoreCase("DONE") -> new IdleEnd.Done();
            case RawLine.Text _ -> new IdleEnd.NotDone("Expected DONE");
            case RawLine.TooLong _ -> new IdleEnd.NotDone("Expected DONE; line too long");
            case RawLine.EndOfStream _ -> new IdleEnd.EndOfStream();
        };
    }

    /**
     * Reads one client response of an AUTHENTICATE exchange (RFC 9051 §9 authenticate
     * *(CRLF base64); §6.2.2: a line "*" cancels).
     */
    public SaslResponse readSaslResponse() {
        return switch (readRawLine()) {
            case RawLine.Text text when text.text().equals("*") -> new SaslResponse.Cancelled();
            case RawLine.Text text -> CommandParsers.decodeBase64(text.text())
                    .<SaslResponse>map(SaslResponse.Data::new)
                    .orElseGet(() -> new SaslResponse.Invalid("Invalid base64 response"));
            case RawLine.TooLong _ -> new SaslResponse.Invalid("Response too long");
            case RawLine.EndOfStream _ -> new SaslResponse.EndOfStream();
        };
    }

    /**
     * Reads one raw line of at most maxLineBytes (without CRLF or bare LF; octets outside
     * US-ASCII become U+FFFD). For protocol steps outside the command grammar.
     */
    public RawLine readRawLine() {
        if (closed) {
            return new RawLine.EndOfStream();
        }
        if (input.readLine(rawLine, limits.maxLineBytes()) == WireInput.LineStatus.END_OF_STREAM) {
            closed = true;
            return new RawLine.EndOfStream();
        }
        if (rawLine.overflow()) {
            return new RawLine.TooLong();
        }
        return new RawLine.Text(new String(rawLine.array(), 0, rawLine.length(), StandardCharsets.US_ASCII));
    }

    /** Octets received but not yet consumed (pipelined after the last command). */
    public int bufferedBytes() {
        return input.bufferedBytes();
    }

    /** Removes and returns the octets received but not yet consumed (e.g. compressed data after COMPRESS). */
    public Octets takeBufferedBytes() {
        return Octets.wrap(input.takeBuffered());
    }
}
