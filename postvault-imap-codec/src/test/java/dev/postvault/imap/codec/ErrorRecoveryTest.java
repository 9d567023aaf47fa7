package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.lines;
import static dev.postvault.imap.codec.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A malformed command never ends the session: the reader answers an error and resynchronises. */
class ErrorRecoveryTest {

    private static final ReadResult.TaggedCommand GOOD_NOOP =
            new ReadResult.TaggedCommand("good", ImapCommandSpec.NOOP, new ImapCommand.Noop());

    private static List<ReadResult> read(ImapLimits limits, ImapState state, byte[] wire) {
        return Wire.readAll(new ByteArrayInputStream(wire), state, false, limits, new Wire.RecordingContinuation());
    }

    private static List<ReadResult> read(String wire) {
        return read(ImapLimits.defaults(), ImapState.SELECTED, utf8(wire));
    }

    private static ReadResult.ParseError error(ReadResult result) {
        assertThat(result).isInstanceOf(ReadResult.ParseError.class);
        return (ReadResult.ParseError) result;
    }

    @Test
    void malformedCommandThenGoodCommand() {
        List<ReadResult> results = read(lines("a1 FETCH", "good NOOP"));
        assertThat(error(results.get(0)).tag()).contains("a1");
        assertThat(error(results.get(0)).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        assertThat(results.get(2)).isEqualTo(new ReadResult.EndOfStream());
    }

    @Test
    void garbageWithoutTagGivesUntaggedError() {
        List<ReadResult> results = read(lines("* OK hello", "+FOO", "(", "good NOOP"));
        assertThat(error(results.get(0)).tag()).isEmpty();
        assertThat(error(results.get(1)).tag()).isEmpty();
        assertThat(error(results.get(2)).tag()).isEmpty();
        assertThat(results.get(3)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void emptyLinesAndBareLineFeedsAreAccepted() {
        List<ReadResult> results = read("\r\n\n\r\ngood NOOP\nb CAPABILITY\r\n");
        assertThat(results.get(0)).isEqualTo(GOOD_NOOP);
        assertThat(((ReadResult.TaggedCommand) results.get(1)).command()).isEqualTo(new ImapCommand.Capability());
    }

    @Test
    void overlongLineIsSkipped() {
        ImapLimits limits = ImapLimits.defaults().withMaxLineBytes(100);
        List<ReadResult> results = read(limits, ImapState.SELECTED, utf8(lines("a1 SEARCH TEXT " + "x".repeat(500), "good NOOP")));
        assertThat(error(results.get(0)).tag()).contains("a1");
        assertThat(error(results.get(0)).message()).contains("too long");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        // exactly at the limit is fine
        String atLimit = "a SEARCH TEXT " + "y".repeat(100 - "a SEARCH TEXT ".length());
        assertThat(read(limits, ImapState.SELECTED, utf8(lines(atLimit))).getFirst()).isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(error(read(limits, ImapState.SELECTED, utf8(lines(atLimit + "z"))).getFirst()).message()).contains("too long");
    }

    @Test
    void lineLimitCountsAllLinesOfACommand() {
        ImapLimits limits = ImapLimits.defaults().withMaxLineBytes(40);
        String wire = "a1 LOGIN {3+}\r\nabc " + "p".repeat(30) + "\r\n" + lines("good NOOP");
        List<ReadResult> results = read(limits, ImapState.NOT_AUTHENTICATED, utf8(wire));
        assertThat(error(results.get(0)).message()).contains("too long");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void overlongLineEndingInNonSynchronizingLiteralSkipsTheLiteral() {
        ImapLimits limits = ImapLimits.defaults().withMaxLineBytes(100);
        String wire = "a1 LOGIN " + "x".repeat(300) + " {9+}\r\ngood NOOP\r\n" + lines("good NOOP");
        List<ReadResult> results = read(limits, ImapState.NOT_AUTHENTICATED, utf8(wire));
        assertThat(error(results.get(0)).tag()).contains("a1");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        assertThat(results).hasSize(3);
    }

    @Test
    void errorBeforeANonSynchronizingLiteralSkipsItAndTheRestOfTheCommand() {
        String wire = "a LOGIN {1+}\r\nx y z {3+}\r\na\"c {2+}\r\n\r\n\r\n" + lines("good NOOP");
        List<ReadResult> results = read(ImapLimits.defaults(), ImapState.NOT_AUTHENTICATED, utf8(wire));
        assertThat(error(results.get(0)).message()).isEqualTo("Unexpected characters after the command");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        assertThat(results).hasSize(3);
    }

    @Test
    void oversizedSynchronizingLiteralIsRefusedWithoutReadingIt() { // RFC 9051 §7.5, RFC 7888 §4
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        Wire.TrapInputStream in = new Wire.TrapInputStream(utf8("a1 APPEND x {99999999999}\r\n"));
        ImapCommandReader reader = new ImapCommandReader(in);
        ReadResult.ParseError refused = error(reader.read(ImapState.SELECTED, continuation));
        assertThat(refused).isEqualTo(new ReadResult.ParseError(Optional.of("a1"), ResponseStatus.NO,
                Optional.of(ResponseCode.Simple.TOOBIG), "Literal too large (limit 67108864 octets)", false));
        assertThat(continuation.requests).isEmpty();
        assertThat(in.consumed()).isEqualTo("a1 APPEND x {99999999999}\r\n".length());
    }

    @Test
    void hugeAnnouncedSizeDoesNotOverflow() {
        ReadResult.ParseError refused = error(read(lines("a1 APPEND x {" + "9".repeat(40) + "}", "good NOOP")).getFirst());
        assertThat(refused.responseCode()).contains(ResponseCode.Simple.TOOBIG);
    }

    @Test
    void oversizedNonSynchronizingLiteralIsFatal() { // RFC 7888 §4 option 2
        Wire.TrapInputStream in = new Wire.TrapInputStream(utf8("a1 APPEND x {99999999999+}\r\n"));
        ImapCommandReader reader = new ImapCommandReader(in);
        ReadResult.ParseError refused = error(reader.read(ImapState.SELECTED, new Wire.RecordingContinuation()));
        assertThat(refused.fatal()).isTrue();
        assertThat(refused.status()).isEqualTo(ResponseStatus.BAD);
        assertThat(refused.responseCode()).contains(ResponseCode.Simple.TOOBIG);
        assertThat(reader.read(ImapState.SELECTED, new Wire.RecordingContinuation())).isEqualTo(new ReadResult.EndOfStream());
    }

    @Test
    void nonSynchronizingLiteralOverLiteralMinusLimitIsSkipped() { // RFC 7888 §5
        String wire = "a1 APPEND x {5000+}\r\n" + "m".repeat(5000) + "\r\n" + lines("good NOOP");
        ImapLimits literalMinus = ImapLimits.defaults().withMaxNonSyncLiteralBytes(ImapLimits.LITERAL_MINUS_BYTES);
        assertThat(literalMinus.literalPlus()).isFalse();
        List<ReadResult> results = read(literalMinus, ImapState.SELECTED, utf8(wire));
        assertThat(error(results.get(0))).isEqualTo(new ReadResult.ParseError(Optional.of("a1"), ResponseStatus.BAD,
                Optional.of(ResponseCode.Simple.TOOBIG),
                "Non-synchronizing literal larger than 4096 octets; use a synchronizing literal", false));
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void defaultsAreLiteralPlusUpToTheAppendLimit() { // RFC 7888 §4: LITERAL+ sets no limit of its own
        assertThat(ImapLimits.defaults().literalPlus()).isTrue();
        // mbsync 1.4.4 pushes a 23 KB message this way; 4096 was the LITERAL- rule and refused it
        String wire = "a1 APPEND x {23510+}\r\n" + "m".repeat(23510) + "\r\n" + lines("good NOOP");
        List<ReadResult> results = read(wire);
        assertThat(results.get(0)).isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        // before authentication every literal stays small, non-synchronizing or not
        ReadResult.ParseError preAuth = error(read(ImapLimits.defaults(), ImapState.NOT_AUTHENTICATED,
                utf8("a LOGIN {9000+}\r\n" + "u".repeat(9000) + " p\r\n")).get(0));
        assertThat(preAuth.status()).isEqualTo(ResponseStatus.BAD);
        assertThat(preAuth.responseCode()).contains(ResponseCode.Simple.TOOBIG);
    }

    @Test
    void literalLimitsDependOnStateAndUse() {
        assertThat(error(Wire.error(ImapState.NOT_AUTHENTICATED, "a LOGIN {9000}\r\n")).status()).isEqualTo(ResponseStatus.NO);
        assertThat(Wire.parse(ImapState.NOT_AUTHENTICATED, "a LOGIN {8192}\r\n" + "u".repeat(8192) + " p\r\n").command())
                .isInstanceOf(ImapCommand.Login.class);
        assertThat(Wire.error(ImapState.SELECTED, "a SELECT {2000000}\r\n").responseCode()).contains(ResponseCode.Simple.TOOBIG);
        ImapLimits small = ImapLimits.defaults().withMaxCommandLiteralBytes(10);
        List<ReadResult> results = read(small, ImapState.SELECTED, utf8("a APPEND x {6}\r\nabcdef {6}\r\n" + lines("good NOOP")));
        assertThat(error(results.get(0)).message()).contains("Command literals too large");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void continuationMayRejectALiteral() { // e.g. APPENDLIMIT or quota
        LiteralContinuation overQuota = request -> LiteralDecision.reject(ResponseStatus.NO,
                Optional.of(ResponseCode.Simple.OVERQUOTA), "Over quota");
        Wire.TrapInputStream in = new Wire.TrapInputStream(utf8("q APPEND x {100}\r\ngood NOOP\r\n"));
        ImapCommandReader reader = new ImapCommandReader(in);
        assertThat(reader.read(ImapState.SELECTED, overQuota)).isEqualTo(new ReadResult.ParseError(Optional.of("q"),
                ResponseStatus.NO, Optional.of(ResponseCode.Simple.OVERQUOTA), "Over quota", false));
        assertThat(reader.read(ImapState.SELECTED, overQuota)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void tooDeepNesting() {
        String deep = "a SEARCH " + "(".repeat(40) + "ALL" + ")".repeat(40);
        assertThat(Wire.error(ImapState.SELECTED, lines(deep)).message()).contains("Nesting too deep");
        assertThat(Wire.error(ImapState.SELECTED, lines("a SEARCH " + "NOT ".repeat(33) + "ALL")).message())
                .contains("Nesting too deep");
        assertThat(Wire.error(ImapState.SELECTED, lines("a SEARCH " + "OR ALL ".repeat(33) + "ALL")).message())
                .contains("Nesting too deep");
        String ok = "a SEARCH " + "(".repeat(32) + "ALL" + ")".repeat(32);
        assertThat(Wire.parse(lines(ok)).command()).isEqualTo(new ImapCommand.Search(false, Optional.empty(),
                Optional.empty(), new SearchKey.All()));
    }

    @Test
    void tooManyItems() {
        ImapLimits limits = ImapLimits.defaults().withMaxSequenceSetRanges(3).withMaxListItems(3).withMaxAppendMessages(2);
        assertThat(error(read(limits, ImapState.SELECTED, utf8(lines("a FETCH 1,2,3,4 FLAGS"))).getFirst()).message())
                .contains("Too many ranges");
        assertThat(read(limits, ImapState.SELECTED, utf8(lines("a FETCH 1,2,3 FLAGS"))).getFirst())
                .isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(error(read(limits, ImapState.SELECTED, utf8(lines("a FETCH 1 (FLAGS UID ENVELOPE BODY)"))).getFirst())
                .message()).contains("Too many items");
        assertThat(error(read(limits, ImapState.SELECTED, utf8(lines("a STORE 1 FLAGS a b c d"))).getFirst())
                .message()).contains("Too many items");
        assertThat(error(read(limits, ImapState.SELECTED, utf8("a APPEND x {1+}\r\n1 {1+}\r\n2 {1+}\r\n3\r\n")).getFirst())
                .message()).contains("Too many messages");
    }

    @Test
    void nulOctetsAreRejected() {
        List<ReadResult> results = read("a1 NOOP\0\r\n" + lines("good NOOP"));
        assertThat(error(results.get(0))).isEqualTo(new ReadResult.ParseError(Optional.of("a1"), ResponseStatus.BAD,
                Optional.empty(), "NUL octet in command line", false));
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
        assertThat(Wire.error(ImapState.NOT_AUTHENTICATED, "a LOGIN \"x\0\" y\r\n").message()).contains("NUL");
        assertThat(Wire.error(ImapState.NOT_AUTHENTICATED, "a LOGIN {3}\r\nx\0y z\r\n").message())
                .isEqualTo("NUL octet in a string");
    }

    @Test
    void carriageReturnInsideALineIsRejected() {
        List<ReadResult> results = read("a1 LOGIN \"a\rb\" c\r\n" + lines("good NOOP"));
        assertThat(error(results.get(0)).tag()).contains("a1");
        assertThat(results.get(1)).isEqualTo(GOOD_NOOP);
    }

    @Test
    void eightBitAndInvalidUtf8() { // RFC 9051 §9 QUOTED-CHAR, RFC 6855 §3
        byte[] invalid = concat(utf8("a SELECT \""), new byte[] {(byte) 0xc3, 0x28}, utf8("\"\r\n"));
        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(concat(invalid, utf8(lines("good NOOP")))));
        reader.enableUtf8();
        ReadResult.ParseError error = error(reader.read(ImapState.SELECTED, new Wire.RecordingContinuation()));
        assertThat(error.message()).isEqualTo("Invalid UTF-8 in quoted string");
        assertThat(reader.read(ImapState.SELECTED, new Wire.RecordingContinuation())).isEqualTo(GOOD_NOOP);
        // without UTF8=ACCEPT any 8-bit octet in a quoted string is refused
        assertThat(error(read(ImapLimits.defaults(), ImapState.SELECTED, utf8(lines("a SELECT \"é\""))).getFirst()).message())
                .contains("UTF8=ACCEPT");
        // invalid UTF-8 in a literal where text is required
        byte[] login = concat(utf8("a LOGIN {2}\r\n"), new byte[] {(byte) 0xff, (byte) 0xfe}, utf8(" p\r\n"));
        assertThat(error(read(ImapLimits.defaults(), ImapState.NOT_AUTHENTICATED, login).getFirst()).message())
                .isEqualTo("Invalid UTF-8 in a string");
        // 8-bit in an atom is junk
        assertThat(error(read(ImapLimits.defaults(), ImapState.SELECTED, concat(utf8("a SELECT "),
                new byte[] {(byte) 0x80}, utf8("\r\n"))).getFirst()).tag()).contains("a");
    }

    @Test
    void numbersOutOfRange() {
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 4294967296 FLAGS")).message()).isEqualTo("Number out of range");
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 0 FLAGS")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.parse(lines("a FETCH 4294967295 FLAGS")).command()).isInstanceOf(ImapCommand.Fetch.class);
        assertThat(Wire.error(ImapState.SELECTED, lines("a SEARCH LARGER 9223372036854775808")).status())
                .isEqualTo(ResponseStatus.BAD);
    }

    @Test
    void endOfStreamInsideACommand() {
        assertThat(read("a SELECT {10}\r\nabc")).containsExactly(new ReadResult.EndOfStream());
        assertThat(read("a NOOP")).containsExactly(new ReadResult.EndOfStream());
        assertThat(read("")).containsExactly(new ReadResult.EndOfStream());
    }

    @Test
    void rawLinesForSaslAndIdle() {
        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                lines("x".repeat(200), "not base64!", "abc", "DONE"))), ImapLimits.defaults().withMaxLineBytes(100));
        assertThat(reader.readRawLine()).isEqualTo(new RawLine.TooLong());
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.Invalid("Invalid base64 response"));
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.Invalid("Invalid base64 response"));
        assertThat(reader.readRawLine()).isEqualTo(new RawLine.Text("DONE"));
        assertThat(reader.readRawLine()).isEqualTo(new RawLine.EndOfStream());
    }

    @Test
    void parseErrorsAreWrittenAsResponses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapResponseWriter writer = new ImapResponseWriter(out);
        for (ReadResult result : read(lines("a1 FETCH", "* junk", "a2 APPEND x {99999999999}"))) {
            if (result instanceof ReadResult.ParseError error) {
                writer.parseError(error);
            }
        }
        writer.flush();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(lines(
                "a1 BAD Missing argument",
                "* BAD Missing or invalid tag",
                "a2 NO [TOOBIG] Literal too large (limit 67108864 octets)"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
