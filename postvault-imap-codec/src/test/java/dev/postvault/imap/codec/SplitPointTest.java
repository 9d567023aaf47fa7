package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.lines;
import static dev.postvault.imap.codec.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader must not depend on how the network chunks the octets: one octet per read, and a
 * split at every possible position, give the same results and the same continuation requests.
 */
class SplitPointTest {

    record Input(String name, ImapState state, boolean utf8, String wire) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Input> inputs() {
        String message = lines("Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)", "Subject: afternoon meeting", "",
                "Hello Joe, do you think we can meet at 3:30 tomorrow?");
        return Stream.of(
                new Input("rfc3501 sample", ImapState.SELECTED, false, lines("a003 fetch 12 full", "a004 fetch 12 body[header]",
                        "a005 store 12 +flags \\deleted", "a006 logout")),
                new Input("fetch header fields", ImapState.SELECTED, false,
                        lines("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])")),
                new Input("esearch", ImapState.SELECTED, false,
                        lines("A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")),
                new Input("login literals", ImapState.NOT_AUTHENTICATED, false,
                        lines("A001 LOGIN {11}", "FRED FOOBAR {7}", "fat man", "A044 BLURDYBLOOP {102856}", "a NOOP")),
                new Input("sasl-ir", ImapState.NOT_AUTHENTICATED, false,
                        lines("a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", "A01 AUTHENTICATE EXTERNAL =")),
                new Input("append sync", ImapState.AUTHENTICATED, false,
                        "A003 APPEND saved-messages (\\Seen) {" + message.length() + "}\r\n" + message + "\r\n"),
                new Input("multiappend", ImapState.AUTHENTICATED, false,
                        "a APPEND Drafts (\\Draft) \"05-Jan-2024 10:00:00 +0100\" {3}\r\nabc (\\Seen) ~{4}\r\nx\0yz {2+}\r\nhi\r\n"),
                new Input("list extended", ImapState.AUTHENTICATED, false, lines(
                        "C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN STATUS (MESSAGES UNSEEN))",
                        "a3.1 LIST \"\" (% music/rock)")),
                new Input("select qresync", ImapState.AUTHENTICATED, false,
                        lines("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))")),
                new Input("search charset literal", ImapState.SELECTED, false,
                        lines("P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}", "мать")),
                new Input("utf8 mailbox", ImapState.AUTHENTICATED, true, lines("a SELECT \"台北/日本語\"", "b STATUS {6}", "日本 (SIZE)")),
                new Input("mutf7 mailbox", ImapState.AUTHENTICATED, false, lines("a SELECT \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")),
                new Input("errors and recovery", ImapState.SELECTED, false,
                        "a1 FETCH\r\n* junk\r\nx NOOP\0\r\n" + "a LOGIN {1+}\r\nx y z {3+}\r\nabc\r\n" + lines("good NOOP")),
                new Input("oversized literals", ImapState.SELECTED, false,
                        "a1 APPEND x {5000+}\r\n" + "m".repeat(5000) + "\r\n" + lines("a2 APPEND x {99999999999}", "good NOOP")),
                new Input("bare LF and blank lines", ImapState.SELECTED, false, "\r\n\na NOOP\nb CHECK\r\n\r\n"),
                new Input("store and uid", ImapState.SELECTED, false, lines(
                        "d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)",
                        "s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)", "A003 UID EXPUNGE 3000:3002",
                        "a UID MOVE 42:69 foo")),
                new Input("sort thread", ImapState.SELECTED, false, lines(
                        "A283 UID SORT (SUBJECT REVERSE DATE) UTF-8 ALL", "A284 THREAD REFERENCES US-ASCII TEXT \"gewp\"")),
                new Input("truncated", ImapState.SELECTED, false, "a SELECT {10}\r\nabc"));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void chunkingDoesNotChangeResults(Input input) {
        byte[] wire = utf8(input.wire());
        Run expected = run(new ByteArrayInputStream(wire), input);
        assertThat(expected.results()).isNotEmpty();
        assertThat(run(new Wire.OneByteInputStream(wire), input)).isEqualTo(expected);
        for (int split = 1; split < wire.length; split++) {
            assertThat(run(new Wire.SplitInputStream(wire, split), input)).as("split at %d", split).isEqualTo(expected);
        }
    }

    record Run(List<ReadResult> results, List<LiteralRequest> continuations) {
    }

    private static Run run(InputStream in, Input input) {
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        List<ReadResult> results = Wire.readAll(in, input.state(), input.utf8(), ImapLimits.defaults(), continuation);
        return new Run(results, continuation.requests);
    }
}
