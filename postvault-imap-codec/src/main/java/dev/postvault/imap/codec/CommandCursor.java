package dev.postvault.imap.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The lexer under the command parsers: the current line of a command, with the tokens of the
 * formal syntax (RFC 9051 §9). A literal at the end of a line is read on demand — after the
 * continuation callback for a synchronizing one — and parsing goes on on the next line, so a
 * command is refused before the client sends a literal whenever possible.
 */
final class CommandCursor {

    private final WireInput input;
    private final ImapLimits limits;
    private final LineBuffer line = new LineBuffer();
    private int pos;
    private int lineBudget;
    private long literalBudget;
    private Optional<LiteralMarker> marker = Optional.empty();
    private boolean markerConsumed;
    private boolean firstLine;
    private Optional<String> tag = Optional.empty();
    private ImapCommandSpec spec = ImapCommandSpec.NOOP;
    private ImapState state = ImapState.NOT_AUTHENTICATED;
    private boolean utf8;
    private LiteralContinuation continuation = request -> LiteralDecision.accept();
    private int depth;

    CommandCursor(WireInput input, ImapLimits limits) {
        this.input = input;
        this.limits = limits;
    }

    void begin(ImapState state, boolean utf8, LiteralContinuation continuation) {
        this.state = state;
        this.utf8 = utf8;
        this.continuation = continuation;
        this.tag = Optional.empty();
        this.spec = ImapCommandSpec.NOOP;
        this.lineBudget = limits.maxLineBytes();
        this.literalBudget = limits.maxCommandLiteralBytes();
        this.marker = Optional.empty();
        this.markerConsumed = false;
        this.depth = 0;
    }

    ImapLimits limits() {
        return limits;
    }

    ImapState state() {
        return state;
    }

    boolean utf8() {
        return utf8;
    }

    void command(ImapCommandSpec command) {
        this.spec = command;
    }

    // ---- lines ---------------------------------------------------------------------------

    /** Reads the first line of a command, skipping empty lines; false at the end of the stream. */
    boolean readFirstLine() {
        do {
            if (input.readLine(line, lineBudget) == WireInput.LineStatus.END_OF_STREAM) {
                return false;
            }
        } while (line.length() == 0 && !line.overflow());
        firstLine = true;
        acceptLine();
        return true;
    }

    private void readNextLine() {
        if (input.readLine(line, lineBudget) == WireInput.LineStatus.END_OF_STREAM) {
            throw new EndOfInput();
        }
        firstLine = false;
        acceptLine();
    }

    private void acceptLine() {
        pos = 0;
        markerConsumed = false;
        if (line.overflow()) {
            byte[] tail = line.tail();
            marker = LiteralMarker.trailing(tail, tail.length);
            lineBudget = 0;
            throw ParseException.bad("Command line too long (limit " + limits.maxLineBytes() + " octets)");
        }
        marker = LiteralMarker.trailing(line.array(), line.length());
        lineBudget -= line.length();
        if (line.containsNul()) {
            throw ParseException.bad("NUL octet in command line");
        }
    }

    /** The tag for an error response: the parsed one, or a well-formed one at the start of the line. */
    Optional<String> errorTag() {
        if (tag.isPresent() || !firstLine) {
            return tag;
        }
        int end = 0;
        while (end < line.length() && ImapSyntax.isTagChar(line.byteAt(end))) {
            end++;
        }
        if (end == 0 || end >= line.length() || line.byteAt(end) != ' ') {
            return Optional.empty();
        }
        return Optional.of(ascii(0, end));
    }

    /**
     * After an error, skips what the client sends without waiting: non-synchronizing literals and
     * the lines that follow them. A synchronizing literal ends the command, since the client waits
     * for a continuation request it will not get (RFC 9051 §7.5).
     *
     * @return true when the rest of the command is too large to skip (fatal)
     */
    boolean resync() {
        while (marker.isPresent() && !markerConsumed) {
            LiteralMarker pending = marker.get();
            if (pending.synchronizing()) {
                return false;
            }
            if (pending.sizeBytes() > limits.discardLimitBytes(state)) {
                return true;
            }
            markerConsumed = true;
            if (!input.skip(pending.sizeBytes())
                    || input.readLine(line, 0) == WireInput.LineStatus.END_OF_STREAM) {
                return false;
            }
            byte[] tail = line.tail();
            marker = LiteralMarker.trailing(tail, tail.length);
            markerConsumed = false;
        }
        return false;
    }

    // ---- characters ----------------------------------------------------------------------

    int peek() {
        return pos < line.length() ? line.byteAt(pos) & 0xff : -1;
    }

    int peek(int ahead) {
        return pos + ahead < line.length() ? line.byteAt(pos + ahead) & 0xff : -1;
    }

    boolean atEnd() {
        return pos >= line.length();
    }

    void expectEnd() {
        if (!atEnd()) {
            throw ParseException.bad("Unexpected characters after the command");
        }
    }

    void sp() {
        if (peek() != ' ') {
            throw ParseException.bad(atEnd() ? "Missing argument" : "Expected a space");
        }
        pos++;
    }

    void expect(char c) {
        if (peek() != c) {
            throw ParseException.bad("Expected '" + c + "'");
        }
        pos++;
    }

    boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code keyword} (case-insensitive) when it stands as a whole atom here. */
    boolean tryKeyword(String keyword) {
        int n = keyword.length();
        if (pos + n > line.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.toUpperCase((char) (line.byteAt(pos + i) & 0xff)) != keyword.charAt(i)) {
                return false;
            }
        }
        if (pos + n < line.length() && ImapSyntax.isAtomChar(line.byteAt(pos + n))) {
            return false;
        }
        pos += n;
        return true;
    }

    void enter() {
        if (++depth > limits.maxNestingDepth()) {
            throw ParseException.bad("Nesting too deep (limit " + limits.maxNestingDepth() + ")");
        }
    }

    void leave() {
        depth--;
    }

    /** Call before adding an item to a list that already holds {@code count} items. */
    void checkItems(int count) {
        if (count >= limits.maxListItems()) {
            throw ParseException.bad("Too many items in a list (limit " + limits.maxListItems() + ")");
        }
    }

    // ---- tokens --------------------------------------------------------------------------

    // RFC 9051 §9 tag = 1*<any ASTRING-CHAR except "+">
    String tag() {
        int start = pos;
        while (pos < line.length() && ImapSyntax.isTagChar(line.byteAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad("Missing or invalid tag");
        }
        String value = ascii(start, pos);
        tag = Optional.of(value);
        return value;
    }

    // RFC 9051 §9 atom = 1*ATOM-CHAR
    String atom() {
        int start = pos;
        while (pos < line.length() && ImapSyntax.isAtomChar(line.byteAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad(atEnd() ? "Missing argument" : "Expected an atom");
        }
        return ascii(start, pos);
    }

    /** An atom in upper case, for keywords. */
    String keyword() {
        return atom().toUpperCase(Locale.ROOT);
    }

    /** Letters, digits, "." and "-" in upper case: fetch-att and section names (RFC 9051 §9 fetch-att). */
    String word() {
        int start = pos;
        int b;
        while ((b = peek()) >= 0 && (Character.isLetterOrDigit(b) && b < 0x80 || b == '.' || b == '-')) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad("Expected a data item name");
        }
        return ascii(start, pos).toUpperCase(Locale.ROOT);
    }

    // RFC 9051 §9 number = 1*DIGIT (unsigned 32-bit)
    long number() {
        return digits(0xFFFF_FFFFL);
    }

    // RFC 9051 §9 nz-number = digit-nz *DIGIT (0 < n < 4,294,967,296)
    long nzNumber() {
        if (peek() == '0') {
            throw ParseException.bad("Expected a non-zero number");
        }
        return digits(0xFFFF_FFFFL);
    }

    // RFC 9051 §9 number64 = 1*DIGIT (unsigned 63-bit)
    long number64() {
        return digits(Long.MAX_VALUE);
    }

    // RFC 9051 §9 nz-number64 = digit-nz *DIGIT
    long nzNumber64() {
        if (peek() == '0') {
            throw ParseException.bad("Expected a non-zero number");
        }
        return digits(Long.MAX_VALUE);
    }

    private long digits(long max) {
        int start = pos;
        long value = 0;
        int b;
        while ((b = peek()) >= 0 && ImapSyntax.isDigit(b)) {
            int digit = b - '0';
            if (value > (max - digit) / 10) {
                throw ParseException.bad("Number out of range");
            }
            value = value * 10 + digit;
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad(atEnd() ? "Missing argument" : "Expected a number");
        }
        return value;
    }

    // RFC 9051 §9 astring = 1*ASTRING-CHAR / string
    byte[] astring() {
        int b = peek();
        if (b == '"' || b == '{') {
            return string();
        }
        int start = pos;
        while (pos < line.length() && ImapSyntax.isAstringChar(line.byteAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad(atEnd() ? "Missing argument" : "Expected a string");
        }
        return Arrays.copyOfRange(line.array(), start, pos);
    }

    // RFC 9051 §9 string = quoted / literal
    byte[] string() {
        return switch (peek()) {
            case '"' -> quoted();
            case '{' -> literal(false, false).array(); // fresh array, not shared
            default -> throw ParseException.bad(atEnd() ? "Missing argument" : "Expected a string");
        };
    }

    // RFC 9051 §9 nstring = string / nil
    Optional<byte[]> nstring() {
        return tryKeyword("NIL") ? Optional.empty() : Optional.of(string());
    }

    // RFC 9051 §9 list-mailbox = 1*list-char / string
    byte[] listMailbox() {
        int b = peek();
        if (b == '"' || b == '{') {
            return string();
        }
        int start = pos;
        while (pos < line.length() && ImapSyntax.isListChar(line.byteAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad(atEnd() ? "Missing argument" : "Expected a mailbox pattern");
        }
        return Arrays.copyOfRange(line.array(), start, pos);
    }

    // RFC 9051 §9 quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except
    // quoted-specials> / "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4 (UTF-8 per RFC 6855 §3)
    byte[] quoted() {
        expect('"');
        byte[] out = new byte[line.length() - pos];
        int n = 0;
        boolean eightBit = false;
        while (true) {
            if (atEnd()) {
                throw ParseException.bad("Unterminated quoted string");
            }
            int b = line.byteAt(pos++) & 0xff;
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                int escaped = peek();
                if (escaped != '"' && escaped != '\\') {
                    throw ParseException.bad("Invalid escape in quoted string");
                }
                pos++;
                out[n++] = (byte) escaped;
            } else if (b >= 0x80) {
                if (!utf8) {
                    throw ParseException.bad("8-bit octets in a quoted string need UTF8=ACCEPT; use a literal");
                }
                eightBit = true;
                out[n++] = (byte) b;
            } else if (ImapSyntax.isTextChar(b)) {
                out[n++] = (byte) b;
            } else {
                throw ParseException.bad("Invalid character in quoted string");
            }
        }
        byte[] value = Arrays.copyOf(out, n);
        if (eightBit && !isValidUtf8(value)) {
            throw ParseException.bad("Invalid UTF-8 in quoted string");
        }
        return value;
    }

    /**
     * A literal here: RFC 9051 §9 literal = "{" number64 ["+"] "}" CRLF *CHAR8, or with
     * {@code binary} literal8 = "~{" number64 ["+"] "}" CRLF *OCTET (RFC 3516, RFC 7888 §6).
     *
     * @param messageData APPEND message data, limited by maxLiteralBytes instead of maxArgumentLiteralBytes
     */
    Octets literal(boolean binary, boolean messageData) {
        if (binary) {
            expect('~');
        }
        expect('{');
        int start = pos;
        while (ImapSyntax.isDigit(peek())) {
            pos++;
        }
        if (start == pos) {
            throw ParseException.bad("Expected a literal size");
        }
        long size = LiteralMarker.parseSize(line.array(), start, pos);
        boolean nonSync = tryConsume('+');
        expect('}');
        if (!atEnd()) {
            throw ParseException.bad("A literal announcement must end the line");
        }
        return readLiteral(new LiteralMarker(size, !nonSync, binary), messageData);
    }

    private Octets readLiteral(LiteralMarker announced, boolean messageData) {
        long size = announced.sizeBytes();
        long max = limits.literalLimitBytes(state, messageData);
        if (size > max) {
            ResponseStatus status = announced.synchronizing() ? ResponseStatus.NO : ResponseStatus.BAD;
            throw new ParseException(status, Optional.of(ResponseCode.Simple.TOOBIG),
                    "Literal too large (limit " + max + " octets)");
        }
        if (!announced.synchronizing() && size > limits.maxNonSyncLiteralBytes()) {
            // RFC 7888 §5 (LITERAL-): tagged BAD with TOOBIG
            throw ParseException.bad(ResponseCode.Simple.TOOBIG, "Non-synchronizing literal larger than "
                    + limits.maxNonSyncLiteralBytes() + " octets; use a synchronizing literal");
        }
        if (size > literalBudget) {
            throw new ParseException(announced.synchronizing() ? ResponseStatus.NO : ResponseStatus.BAD,
                    Optional.of(ResponseCode.Simple.TOOBIG), "Command literals too large (limit "
                            + limits.maxCommandLiteralBytes() + " octets)");
        }
        if (announced.synchronizing()) {
            LiteralDecision decision = continuation.beforeLiteral(
                    new LiteralRequest(tag.orElse(""), spec, size, announced.binary()));
            switch (decision) {
                case LiteralDecision.Accept _ -> { }
                case LiteralDecision.Reject reject ->
                        throw new ParseException(reject.status(), reject.responseCode(), reject.message());
            }
        }
        markerConsumed = true;
        byte[] data = input.readExactly((int) size);
        literalBudget -= size;
        readNextLine();
        return Octets.wrap(data);
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private String ascii(int from, int to) {
        return new String(line.array(), from, to - from, StandardCharsets.ISO_8859_1);
    }

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
