package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ImapResponseWriter writer = new ImapResponseWriter(out);

    private String written() {
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void numbersAreWrittenInFullAcrossBufferBoundaries() {
        long[] values = {0, 7, 10, 99, 100, 4_294_967_295L, 1_000_000_000_000L, Long.MAX_VALUE};
        var small = new ByteArrayOutputStream();
        var w = new ImapResponseWriter(small, 1); // the smallest buffer: numbers cross its end
        StringBuilder expected = new StringBuilder("* SEARCH");
        w.beginUntagged().atom("SEARCH");
        for (int round = 0; round < 5; round++) {
            for (long v : values) {
                w.number(v);
                expected.append(' ').append(v);
            }
        }
        w.endLine();
        w.flush();
        assertThat(small.toString(StandardCharsets.US_ASCII)).isEqualTo(expected + "\r\n");
        assertThatThrownBy(() -> writer.beginUntagged().number(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingIsSentBeforeFlush() {
        writer.ok("a1", "done");
        assertThat(out.size()).isZero();
        assertThat(written()).isEqualTo("a1 OK done\r\n");
    }

    @Test
    void statusResponsesWithCodes() { // RFC 9051 §7.1
        writer.untaggedStatus(ResponseStatus.OK, Optional.of(new ResponseCode.Capability(List.of("IMAP4rev2", "AUTH=PLAIN"))),
                "Server ready");
        writer.untaggedStatus(ResponseStatus.OK, Optional.of(new ResponseCode.UidValidity(3857529045L)), "UIDs valid");
        writer.untaggedStatus(ResponseStatus.OK, Optional.of(new ResponseCode.PermanentFlags(List.of("\\Deleted", "\\Seen", "\\*"))),
                "Limited");
        writer.no("A003", ResponseCode.Simple.TRYCREATE, "No such mailbox");
        writer.ok("A002", ResponseCode.Simple.READ_WRITE, "SELECT completed");
        writer.ok("A003", new ResponseCode.AppendUid(38505, SequenceSet.single(3955)), "APPEND completed");
        writer.ok("A004", new ResponseCode.CopyUid(38505, SequenceSet.of(SequenceSet.Range.of(304), new SequenceSet.Range(319, 320)),
                SequenceSet.of(new SequenceSet.Range(3956, 3958))), "Done");
        writer.no("B283", new ResponseCode.BadCharset(List.of("UTF-8")), "KOI8-R is not supported");
        writer.untaggedStatus(ResponseStatus.NO, Optional.of(ResponseCode.Simple.ALERT), "Disk full");
        writer.bad("x", "line\r\nbreak\0");
        writer.bye("Logging out");
        writer.ok("a", new ResponseCode.Other("X-FOO", Optional.of("1 2")), "");
        assertThat(written()).isEqualTo(lines(
                "* OK [CAPABILITY IMAP4rev2 AUTH=PLAIN] Server ready",
                "* OK [UIDVALIDITY 3857529045] UIDs valid",
                "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited",
                "A003 NO [TRYCREATE] No such mailbox",
                "A002 OK [READ-WRITE] SELECT completed",
                "A003 OK [APPENDUID 38505 3955] APPEND completed",
                "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done",
                "B283 NO [BADCHARSET (UTF-8)] KOI8-R is not supported",
                "* NO [ALERT] Disk full",
                "x BAD line  break ",
                "* BYE Logging out",
                "a OK [X-FOO 1 2] done"));
    }

    @Test
    void continuationRequests() { // RFC 9051 §7.5
        writer.continuation("Ready for literal data");
        writer.continuation("");
        writer.continuationBase64(Octets.ascii("challenge"));
        assertThat(written()).isEqualTo(lines("+ Ready for literal data", "+ ", "+ Y2hhbGxlbmdl"));
    }

    @Test
    void quotingVersusLiteral() { // RFC 9051 §4.3
        writer.beginUntagged().atom("X")
                .string("plain")
                .string("with \"quotes\" and \\backslash")
                .string("")
                .string("two\r\nlines")
                .string("nul\0")
                .string("é")
                .string("x".repeat(ImapResponseWriter.MAX_QUOTED_BYTES))
                .string("y".repeat(ImapResponseWriter.MAX_QUOTED_BYTES + 1))
                .endLine();
        assertThat(written()).isEqualTo("* X \"plain\" \"with \\\"quotes\\\" and \\\\backslash\" \"\" {10}\r\ntwo\r\nlines"
                + " {4}\r\nnul\0 {2}\r\né \"" + "x".repeat(1024) + "\" {1025}\r\n" + "y".repeat(1025) + "\r\n");
    }

    @Test
    void utf8IsQuotedOnlyWhenEnabled() { // RFC 6855 §3
        writer.enableUtf8();
        writer.beginUntagged().string("日本語").mailbox("台北").text("ünïcode").endLine();
        writer.untaggedStatus(ResponseStatus.OK, Optional.empty(), "déjà vu");
        assertThat(written()).isEqualTo(lines("* \"日本語\" \"台北\" ünïcode", "* OK déjà vu"));
    }

    @Test
    void textWithoutUtf8IsAscii() {
        writer.untaggedStatus(ResponseStatus.OK, Optional.empty(), "déjà vu");
        assertThat(written()).isEqualTo(lines("* OK d?j? vu"));
    }

    @Test
    void mailboxNamesAreModifiedUtf7() { // RFC 3501 §5.1.3
        writer.beginUntagged().atom("LIST").beginList().flag("\\HasNoChildren").endList().quoted("/")
                .mailbox("~peter/mail/台北/日本語").endLine();
        writer.beginUntagged().atom("LIST").beginList().endList().nil().mailbox("Tom & Jerry").endLine();
        assertThat(written()).isEqualTo(lines(
                "* LIST (\\HasNoChildren) \"/\" \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"",
                "* LIST () NIL \"Tom &- Jerry\""));
    }

    @Test
    void fetchResponseComposition() { // RFC 9051 §7.5.2
        FetchItem body = new FetchItem.BodySection(new Section(List.of(), new Section.Specifier.HeaderFields(List.of("DATE", "FROM"), false)),
                Optional.of(new FetchItem.Partial(0, 100)), true);
        writer.beginUntagged().number(12).atom("FETCH").beginList()
                .atom("FLAGS").beginList().flag("\\Seen").flag("$Forwarded").endList()
                .atom("INTERNALDATE").dateTime(OffsetDateTime.parse("1996-07-17T02:44:25-07:00"))
                .atom("RFC822.SIZE").number(4286)
                .raw(body.responseName()).literal(Octets.ascii("Date: x\r\n"))
                .raw("BINARY[1]").literal8(Octets.ascii("a\0b"))
                .atom("ENVELOPE").beginList().nstring(Optional.empty()).nstring(Optional.of("Subj")).endList()
                .endList().endLine();
        assertThat(written()).isEqualTo("* 12 FETCH (FLAGS (\\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\""
                + " RFC822.SIZE 4286 BODY[HEADER.FIELDS (DATE FROM)]<0> {9}\r\nDate: x\r\n BINARY[1] ~{3}\r\na\0b"
                + " ENVELOPE (NIL \"Subj\"))\r\n");
    }

    @Test
    void astringAndSequenceSets() {
        writer.beginUntagged().astring("INBOX").astring("has space").astring("").sequenceSet(
                SequenceSet.of(SequenceSet.Range.of(2), new SequenceSet.Range(4, SequenceSet.STAR))).sequenceSet(SequenceSet.saved())
                .endLine();
        assertThat(written()).isEqualTo(lines("* INBOX \"has space\" \"\" 2,4:* $"));
    }

    @Test
    void programmingErrorsAreRefused() {
        assertThatThrownBy(() -> writer.atom("x")).isInstanceOf(IllegalStateException.class);
        writer.beginUntagged();
        assertThatThrownBy(() -> writer.atom("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.flag("\\Se en")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.raw("a\r\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.quoted("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.beginUntagged()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.beginTagged("b")).isInstanceOf(IllegalStateException.class);
        writer.endLine();
        assertThatThrownBy(() -> writer.beginTagged("a+b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.tagged("a", ResponseStatus.BYE, Optional.empty(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalContinuationHelperWritesAndFlushes() {
        LiteralDecision decision = LiteralContinuation.writingTo(writer)
                .beforeLiteral(new LiteralRequest("a", ImapCommandSpec.APPEND, 10, false));
        assertThat(decision).isEqualTo(LiteralDecision.accept());
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("+ Ready for literal data\r\n");
    }
}
