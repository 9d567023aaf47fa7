package dev.postvault.imap.codec;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes server responses (RFC 9051 §7, §9 response). Buffered: nothing reaches the client until
 * {@link #flush()}. Whole status responses have one-call methods; data responses are composed
 * token by token between {@link #beginUntagged()} and {@link #endLine()}, with spaces inserted
 * between tokens automatically (none after "(" or before ")"):
 *
 * <pre>{@code
 * w.beginUntagged().number(12).atom("FETCH").beginList()
 *  .atom("FLAGS").beginList().flag("\\Seen").endList()
 *  .raw(item.responseName()).literal(bytes)
 *  .endList().endLine();
 * }</pre>
 *
 * Strings choose their form: quoted when short and made of TEXT-CHARs (UTF-8 too once UTF-8 is
 * enabled), otherwise a literal. Programming errors (an atom with a space, a line not begun) throw
 * {@link IllegalArgumentException} or {@link IllegalStateException}; I/O errors
 * {@link UncheckedIOException}.
 */
public final class ImapResponseWriter implements Flushable {

    /** Strings longer than this (in octets) are sent as literals. */
    public static final int MAX_QUOTED_BYTES = 1024;

    private final OutputStream out;
    /**
     * Bytes not yet handed to {@code out}. The writer's own buffer rather than a BufferedOutputStream:
     * a response is written a token at a time, and each write to that took its lock and checked its
     * growth (a FETCH ENVELOPE BODYSTRUCTURE of 10,000 messages makes some two million writes).
     */
    private final byte[] buffer;
    private int buffered;
    private boolean utf8;
    private boolean inLine;
    private boolean needSpace;

    public ImapResponseWriter(OutputStream out) {
        this(out, 16 * 1024);
    }

    /**
     * A writer with its own buffer of {@code bufferBytes}; a small one suits a writer made per message
     * into memory (FETCH renders each message apart before sending it).
     */
    public ImapResponseWriter(OutputStream out, int bufferBytes) {
        this.out = Objects.requireNonNull(out);
        this.buffer = new byte[Math.max(32, bufferBytes)]; // room for any number (19 digits) at once
    }

    /** After ENABLE UTF8=ACCEPT / IMAP4rev2: UTF-8 in quoted strings and text, UTF-8 mailbox names. */
    public void enableUtf8() {
        utf8 = true;
    }

    public boolean utf8Enabled() {
        return utf8;
    }

    // ---- whole responses -----------------------------------------------------------------

    /** {@code tag status [code] text} (RFC 9051 §9 response-tagged). */
    public void tagged(String tag, ResponseStatus status, Optional<ResponseCode> code, String text) {
        if (status == ResponseStatus.PREAUTH || status == ResponseStatus.BYE) {
            throw new IllegalArgumentException(status + " is never tagged");
        }
        beginTagged(tag).atom(status.name());
        statusText(code, text);
    }

    public void ok(String tag, String text) {
        tagged(tag, ResponseStatus.OK, Optional.empty(), text);
    }

    public void ok(String tag, ResponseCode code, String text) {
        tagged(tag, ResponseStatus.OK, Optional.of(code), text);
    }

    public void no(String tag, String text) {
        tagged(tag, ResponseStatus.NO, Optional.empty(), text);
    }

    public void no(String tag, ResponseCode code, String text) {
        tagged(tag, ResponseStatus.NO, Optional.of(code), text);
    }

    public void bad(String tag, String text) {
        tagged(tag, ResponseStatus.BAD, Optional.empty(), text);
    }

    public void bad(String tag, ResponseCode code, String text) {
        tagged(tag, ResponseStatus.BAD, Optional.of(code), text);
    }

    /** {@code * status [code] text}: OK, NO, BAD, PREAUTH or BYE (RFC 9051 §7.1). */
    public void untaggedStatus(ResponseStatus status, Optional<ResponseCode> code, String text) {
        beginUntagged().atom(status.name());
        statusText(code, text);
    }

    public void bye(String text) {
        untaggedStatus(ResponseStatus.BYE, Optional.empty(), text);
    }

    /** The answer to a {@link ReadResult.ParseError}: tagged when the tag is known, else {@code * BAD}. */
    public void parseError(ReadResult.ParseError error) {
        if (error.tag().isPresent()) {
            tagged(error.tag().get(), error.status(), error.responseCode(), error.message());
        } else {
            untaggedStatus(ResponseStatus.BAD, error.responseCode(), error.message());
        }
    }

    /** {@code + text}: continuation request (RFC 9051 §7.5). */
    public void continuation(String text) {
        begin("+");
        writeAscii(" ");
        writeText(text);
        finishLine();
    }

    /** {@code + base64}: a SASL challenge (RFC 9051 §9 continue-req). */
    public void continuationBase64(Octets challenge) {
        begin("+");
        writeAscii(" " + Base64.getEncoder().encodeToString(challenge.array()));
        finishLine();
    }

    // ---- composing a line ----------------------------------------------------------------

    public ImapResponseWriter beginUntagged() {
        begin("*");
        return this;
    }

    public ImapResponseWriter beginTagged(String tag) {
        for (int i = 0; i < tag.length(); i++) {
            if (!ImapSyntax.isTagChar(tag.charAt(i))) {
                throw new IllegalArgumentException("invalid tag");
            }
        }
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("empty tag");
        }
        begin(tag);
        return this;
    }

    /** RFC 9051 §9 atom. */
    public ImapResponseWriter atom(String atom) {
        if (!ImapSyntax.isAtom(atom)) {
            throw new IllegalArgumentException("not an atom: " + atom);
        }
        return token(atom);
    }

    public ImapResponseWriter number(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("numbers are unsigned");
        }
        // Digits straight into the buffer: a SEARCH or SORT of a large folder writes one number per message.
        requireLine();
        if (needSpace) put(' ');
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) digits++;
        room(digits);
        for (int i = buffered + digits - 1; i >= buffered; i--, value /= 10) buffer[i] = (byte) ('0' + value % 10);
        buffered += digits;
        needSpace = true;
        return this;
    }

    public ImapResponseWriter nil() {
        return token("NIL");
    }

    /**
     * Printable US-ASCII written as is, e.g. {@code BODY[HEADER.FIELDS (DATE)]<0>}; for tokens that
     * are not atoms.
     */
    public ImapResponseWriter raw(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("raw tokens are printable US-ASCII");
            }
        }
        return token(text);
    }

    /** A flag: {@code \Seen}, {@code \*} (PERMANENTFLAGS) or a keyword atom. */
    public ImapResponseWriter flag(String flag) {
        String name = flag.startsWith("\\") ? flag.substring(1) : flag;
        if (!flag.equals("\\*") && !ImapSyntax.isAtom(name)) {
            throw new IllegalArgumentException("not a flag: " + flag);
        }
        return token(flag);
    }

    /**
     * The next token follows the previous one without a space, where the grammar juxtaposes them
     * (RFC 9051 §9 body-type-mpart = 1*body SP media-subtype: the bodies of a multipart are adjacent).
     */
    public ImapResponseWriter adjacent() {
        requireLine();
        needSpace = false;
        return this;
    }

    public ImapResponseWriter beginList() {
        requireLine();
        writeAscii(needSpace ? " (" : "(");
        needSpace = false;
        return this;
    }

    public ImapResponseWriter endList() {
        requireLine();
        writeAscii(")");
        needSpace = true;
        return this;
    }

    /** A list of atoms, e.g. {@code (\Seen \Answered)} via {@link #flag}; here plain atoms. */
    public ImapResponseWriter atomList(List<String> atoms) {
        beginList();
        atoms.forEach(this::atom);
        return endList();
    }

    /** A string as quoted or literal, whichever is valid (RFC 9051 §4.3). */
    public ImapResponseWriter string(String value) {
        return string(Octets.utf8(value));
    }

    /** Octets as quoted or literal, whichever is valid (RFC 9051 §4.3). NUL octets force a literal. */
    public ImapResponseWriter string(Octets value) {
        return canQuote(value) ? writeQuoted(value) : literal(value);
    }

    /** A quoted string; fails if the value cannot be quoted. */
    public ImapResponseWriter quoted(String value) {
        Octets octets = Octets.utf8(value);
        if (!canQuote(octets)) {
            throw new IllegalArgumentException("cannot be quoted");
        }
        return writeQuoted(octets);
    }

    /** RFC 9051 §9 nstring = string / nil. */
    public ImapResponseWriter nstring(Optional<String> value) {
        return value.isPresent() ? string(value.get()) : nil();
    }

    public ImapResponseWriter nstringOctets(Optional<Octets> value) {
        return value.isPresent() ? string(value.get()) : nil();
    }

    /** RFC 9051 §9 astring: an atom when possible, else a string. */
    public ImapResponseWriter astring(String value) {
        return ImapSyntax.isAstring(value) ? token(value) : string(value);
    }

    /** A mailbox name: modified UTF-7 unless UTF-8 is enabled (RFC 3501 §5.1.3, RFC 6855 §3), quoted. */
    public ImapResponseWriter mailbox(String name) {
        return string(MailboxNames.toWire(name, utf8));
    }

    /** RFC 9051 §9 literal = "{" number64 "}" CRLF *CHAR8. */
    public ImapResponseWriter literal(Octets value) {
        token("{" + value.length() + "}\r\n");
        writeBytes(value.array());
        return this;
    }

    /** RFC 3516 literal8 = "~{" number "}" CRLF *OCTET, for BINARY data containing NUL. */
    public ImapResponseWriter literal8(Octets value) {
        token("~{" + value.length() + "}\r\n");
        writeBytes(value.array());
        return this;
    }

    /** A quoted date-time, e.g. {@code "17-Jul-1996 02:44:25 -0700"} (INTERNALDATE, SAVEDATE). */
    public ImapResponseWriter dateTime(OffsetDateTime time) {
        return token("\"" + ImapDates.formatDateTime(time) + "\"");
    }

    public ImapResponseWriter sequenceSet(SequenceSet set) {
        return token(set.wireForm());
    }

    /** {@code [code]} (RFC 9051 §9 resp-text-code). */
    public ImapResponseWriter responseCode(ResponseCode code) {
        return token("[" + render(code) + "]");
    }

    /** Human-readable text to the end of the line (RFC 9051 §9 text); control characters become spaces. */
    public ImapResponseWriter text(String text) {
        requireLine();
        if (needSpace) {
            writeAscii(" ");
        }
        writeText(text);
        needSpace = true;
        return this;
    }

    public void endLine() {
        requireLine();
        finishLine();
    }

    @Override
    public void flush() {
        try {
            drain();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- internals -----------------------------------------------------------------------

    private void statusText(Optional<ResponseCode> code, String text) {
        code.ifPresent(this::responseCode);
        text(text.isBlank() ? "done" : text);
        endLine();
    }

    private boolean canQuote(Octets value) {
        if (value.length() > MAX_QUOTED_BYTES) {
            return false;
        }
        boolean eightBit = false;
        for (byte b : value.array()) {
            int octet = b & 0xff;
            if (octet >= 0x80) {
                eightBit = true;
            } else if (!ImapSyntax.isTextChar(octet)) {
                return false;
            }
        }
        return !eightBit || utf8 && CommandCursor.isValidUtf8(value.array());
    }

    // RFC 9051 §9 quoted = DQUOTE *QUOTED-CHAR DQUOTE; "\" quoted-specials
    private ImapResponseWriter writeQuoted(Octets value) {
        requireLine();
        if (needSpace) {
            put(' ');
        }
        put('"');
        for (byte b : value.array()) {
            if (b == '"' || b == '\\') {
                put('\\');
            }
            put(b);
        }
        put('"');
        needSpace = true;
        return this;
    }

    private String render(ResponseCode code) {
        return switch (code) {
            case ResponseCode.Simple simple -> simple.wireName();
            case ResponseCode.Capability c -> "CAPABILITY " + String.join(" ", atoms(c.capabilities()));
            case ResponseCode.PermanentFlags p -> "PERMANENTFLAGS (" + String.join(" ", p.flags()) + ")";
            case ResponseCode.UidNext u -> "UIDNEXT " + u.uid();
            case ResponseCode.UidValidity u -> "UIDVALIDITY " + u.uidValidity();
            case ResponseCode.Unseen u -> "UNSEEN " + u.sequenceNumber();
            case ResponseCode.AppendUid a -> "APPENDUID " + a.uidValidity() + " " + a.uids().wireForm();
            case ResponseCode.CopyUid c -> "COPYUID " + c.uidValidity() + " " + c.sourceUids().wireForm()
                    + " " + c.destinationUids().wireForm();
            case ResponseCode.HighestModSeq h -> "HIGHESTMODSEQ " + h.modSeq();
            case ResponseCode.Modified m -> "MODIFIED " + m.set().wireForm();
            case ResponseCode.BadCharset b -> b.supported().isEmpty() ? "BADCHARSET"
                    : "BADCHARSET (" + String.join(" ", b.supported().stream().map(ImapSyntax::astringWireForm).toList()) + ")";
            case ResponseCode.MailboxId m -> "MAILBOXID (" + checkedRaw(m.objectId()) + ")";
            case ResponseCode.Other o -> atoms(List.of(o.name())).getFirst()
                    + o.argument().map(a -> " " + checkedRaw(a)).orElse("");
        };
    }

    private static List<String> atoms(List<String> values) {
        for (String value : values) {
            if (!ImapSyntax.isAtom(value)) {
                throw new IllegalArgumentException("not an atom: " + value);
            }
        }
        return values;
    }

    private static String checkedRaw(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ']') {
                throw new IllegalArgumentException("invalid response code argument");
            }
        }
        return value;
    }

    private ImapResponseWriter token(String token) {
        requireLine();
        if (needSpace) put(' ');
        writeAscii(token);
        needSpace = true;
        return this;
    }

    private void begin(String first) {
        if (inLine) {
            throw new IllegalStateException("the previous response line was not ended");
        }
        inLine = true;
        writeAscii(first);
        needSpace = true;
    }

    private void requireLine() {
        if (!inLine) {
            throw new IllegalStateException("no response line begun");
        }
    }

    private void finishLine() {
        writeAscii("\r\n");
        inLine = false;
        needSpace = false;
    }

    private void writeText(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                clean.append(' ');
            } else if (cp >= 0x80 && !utf8) {
                clean.append('?');
            } else {
                clean.appendCodePoint(cp);
            }
        });
        writeBytes(clean.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** ASCII text as its bytes (anything else as '?', as the US-ASCII encoder would). */
    private void writeAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            put(c < 0x80 ? c : '?');
        }
    }

    /** Bytes as they are; as many as the buffer holds or more go to the stream directly, uncopied. */
    private void writeBytes(byte[] bytes) {
        try {
            if (bytes.length >= buffer.length) {
                drain();
                out.write(bytes);
                return;
            }
            if (bytes.length > buffer.length - buffered) drain();
            System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
            buffered += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(int b) {
        room(1);
        buffer[buffered++] = (byte) b;
    }

    /** Makes room for {@code n} bytes (at most the buffer's size) by handing the buffer over when it lacks it. */
    private void room(int n) {
        if (buffer.length - buffered >= n) return;
        try {
            drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        if (buffered > 0) {
            out.write(buffer, 0, buffered);
            buffered = 0;
        }
    }
}
