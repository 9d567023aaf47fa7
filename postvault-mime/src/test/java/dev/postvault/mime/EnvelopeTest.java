package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.bytes;
import static dev.postvault.mime.Fixtures.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.mime.EnvelopeAddress.GroupEnd;
import dev.postvault.mime.EnvelopeAddress.GroupStart;
import dev.postvault.mime.EnvelopeAddress.Mailbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 5322 Appendix A examples, read as IMAP ENVELOPE (RFC 3501 §7.4.2). */
class EnvelopeTest {

    private static Envelope envelope(String message) {
        return MimeParser.parse(bytes(crlf(message))).envelope();
    }

    private static Mailbox mb(String name, String mailbox, String host) {
        return new Mailbox(Optional.ofNullable(name), Optional.empty(), mailbox, host);
    }

    @Test
    void a11AddressingExample() {
        Envelope e = envelope("""
                From: John Doe <jdoe@machine.example>
                To: Mary Smith <mary@example.net>
                Subject: Saying Hello
                Date: Fri, 21 Nov 1997 09:55:06 -0600
                Message-ID: <1234@local.machine.example>

                This is a message just to say hello.
                So, "Hello".
                """);
        assertThat(e.from()).containsExactly(mb("John Doe", "jdoe", "machine.example"));
        assertThat(e.sender()).isEqualTo(e.from());
        assertThat(e.replyTo()).isEqualTo(e.from());
        assertThat(e.to()).containsExactly(mb("Mary Smith", "mary", "example.net"));
        assertThat(e.cc()).isEmpty();
        assertThat(e.bcc()).isEmpty();
        assertThat(e.subject()).contains("Saying Hello");
        assertThat(e.date()).contains("Fri, 21 Nov 1997 09:55:06 -0600");
        assertThat(e.parsedDate()).contains(Instant.parse("1997-11-21T15:55:06Z"));
        assertThat(e.messageId()).contains("<1234@local.machine.example>");
        assertThat(e.inReplyTo()).isEmpty();
    }

    @Test
    void a12DifferentTypesOfMailboxes() {
        Envelope e = envelope("""
                From: "Joe Q. Public" <john.q.public@example.com>
                To: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>
                Cc: <boss@nil.test>, "Giant; \\"Big\\" Box" <sysservices@example.net>
                Date: Tue, 1 Jul 2003 10:52:37 +0200
                Message-ID: <5678.21-Nov-1997@example.com>

                Hi everyone.
                """);
        assertThat(e.from()).containsExactly(mb("Joe Q. Public", "john.q.public", "example.com"));
        assertThat(e.to()).containsExactly(
                mb("Mary Smith", "mary", "x.test"), mb(null, "jdoe", "example.org"), mb("Who?", "one", "y.test"));
        assertThat(e.cc()).containsExactly(
                mb(null, "boss", "nil.test"), mb("Giant; \"Big\" Box", "sysservices", "example.net"));
        assertThat(e.parsedDate()).contains(Instant.parse("2003-07-01T08:52:37Z"));
    }

    @Test
    void a13GroupAddresses() {
        Envelope e = envelope("""
                From: Pete <pete@silly.example>
                To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;
                Cc: Undisclosed recipients:;
                Date: Thu, 13 Feb 1969 23:32:54 -0330
                Message-ID: <testabcd.1234@silly.example>

                Testing.
                """);
        assertThat(e.to()).containsExactly(
                new GroupStart("A Group"),
                mb("Ed Jones", "c", "a.test"), mb(null, "joe", "where.test"), mb("John", "jdoe", "one.test"),
                new GroupEnd());
        assertThat(e.cc()).containsExactly(new GroupStart("Undisclosed recipients"), new GroupEnd());
        // IMAP shape of the markers: (NIL NIL "A Group" NIL) and (NIL NIL NIL NIL).
        EnvelopeAddress start = e.to().getFirst();
        assertThat(start.imapName()).isEmpty();
        assertThat(start.imapMailbox()).contains("A Group");
        assertThat(start.imapHost()).isEmpty();
        EnvelopeAddress end = e.to().getLast();
        assertThat(List.of(end.imapName(), end.imapAdl(), end.imapMailbox(), end.imapHost()))
                .allMatch(Optional::isEmpty);
        assertThat(e.parsedDate()).contains(Instant.parse("1969-02-14T03:02:54Z"));
    }

    @Test
    void a2ReplyMessages() {
        Envelope e = envelope("""
                From: Mary Smith <mary@example.net>
                To: John Doe <jdoe@machine.example>
                Reply-To: "Mary Smith: Personal Account" <smith@home.example>
                Subject: Re: Saying Hello
                Date: Fri, 21 Nov 1997 10:01:10 -0600
                Message-ID: <3456@example.net>
                In-Reply-To: <1234@local.machine.example>
                References: <1234@local.machine.example>

                This is a reply to your hello.
                """);
        assertThat(e.replyTo()).containsExactly(mb("Mary Smith: Personal Account", "smith", "home.example"));
        assertThat(e.sender()).containsExactly(mb("Mary Smith", "mary", "example.net"));
        assertThat(e.inReplyTo()).contains("<1234@local.machine.example>");
        assertThat(e.messageId()).contains("<3456@example.net>");
        assertThat(e.subject()).contains("Re: Saying Hello");
    }

    @Test
    void a3ResentFieldsDoNotAffectTheEnvelope() {
        Envelope e = envelope("""
                Resent-From: Mary Smith <mary@example.net>
                Resent-To: Jane Brown <j-brown@other.example>
                Resent-Date: Mon, 24 Nov 1997 14:22:01 -0800
                Resent-Message-ID: <78910@example.net>
                From: John Doe <jdoe@machine.example>
                To: Mary Smith <mary@example.net>
                Subject: Saying Hello
                Date: Fri, 21 Nov 1997 09:55:06 -0600
                Message-ID: <1234@local.machine.example>

                This is a message just to say hello.
                """);
        assertThat(e.from()).containsExactly(mb("John Doe", "jdoe", "machine.example"));
        assertThat(e.to()).containsExactly(mb("Mary Smith", "mary", "example.net"));
        assertThat(e.date()).contains("Fri, 21 Nov 1997 09:55:06 -0600");
        assertThat(e.messageId()).contains("<1234@local.machine.example>");
    }

    @Test
    void a5WhiteSpaceCommentsAndOtherOddities() {
        Envelope e = envelope("""
                From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>
                To:A Group(Some people)
                     :Chris Jones <c@(Chris's host.)public.example>,
                         joe@example.org,
                  John <jdoe@one.test> (my dear friend); (the end of the group)
                Cc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;
                Date: Thu,
                      13
                        Feb
                          1969
                      23:32
                               -0330 (Newfoundland Time)
                Message-ID:              <testabcd.1234@silly.test>

                Testing.
                """);
        assertThat(e.from()).containsExactly(mb("Pete", "pete", "silly.test"));
        assertThat(e.to()).containsExactly(
                new GroupStart("A Group"),
                mb("Chris Jones", "c", "public.example"), mb(null, "joe", "example.org"), mb("John", "jdoe", "one.test"),
                new GroupEnd());
        assertThat(e.cc()).containsExactly(new GroupStart("Hidden recipients"), new GroupEnd());
        // Raw, unfolded value: folding CRLFs removed, whitespace kept.
        assertThat(e.date()).contains("Thu,      13        Feb          1969      23:32               -0330 (Newfoundland Time)");
        assertThat(e.parsedDate()).contains(Instant.parse("1969-02-14T03:02:00Z"));
        assertThat(e.messageId()).contains("<testabcd.1234@silly.test>");
    }

    @Test
    void a61ObsoleteAddressing() {
        Envelope e = envelope("""
                From: Joe Q. Public <john.q.public@example.com>
                To: Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example
                Date: Tue, 1 Jul 2003 10:52:37 +0200
                Message-ID: <5678.21-Nov-1997@example.com>

                Hi everyone.
                """);
        assertThat(e.from()).containsExactly(mb("Joe Q. Public", "john.q.public", "example.com"));
        assertThat(e.to()).containsExactly(
                new Mailbox(Optional.of("Mary Smith"), Optional.of("@node.test"), "mary", "example.net"),
                mb(null, "jdoe", "test.example"));
        Mailbox mary = (Mailbox) e.to().getFirst();
        assertThat(mary.imapAdl()).contains("@node.test");
    }

    @Test
    void a62ObsoleteDates() {
        Envelope e = envelope("""
                From: John Doe <jdoe@machine.example>
                To: Mary Smith <mary@example.net>
                Subject: Saying Hello
                Date: 21 Nov 97 09:55:06 GMT
                Message-ID: <1234@local.machine.example>

                This is a message just to say hello.
                """);
        assertThat(e.date()).contains("21 Nov 97 09:55:06 GMT");
        assertThat(e.parsedDate()).contains(Instant.parse("1997-11-21T09:55:06Z"));
    }

    @Test
    void a63ObsoleteWhiteSpaceAndComments() {
        Envelope e = envelope("""
                From  : John Doe <jdoe@machine(comment).  example>
                To    : Mary Smith
                \s\s
                          <mary@example.net>
                Subject     : Saying Hello
                Date  : Fri, 21
                 Nov 1997 09(comment):   55  :  06 -0600
                Message-ID  : <1234   @   local(blah)  .machine .example>

                This is a message just to say hello.
                """);
        assertThat(e.from()).containsExactly(mb("John Doe", "jdoe", "machine.example"));
        assertThat(e.to()).containsExactly(mb("Mary Smith", "mary", "example.net"));
        assertThat(e.subject()).contains("Saying Hello");
        assertThat(e.parsedDate()).contains(Instant.parse("1997-11-21T15:55:06Z"));
        assertThat(e.messageId()).contains("<1234   @   local(blah)  .machine .example>");
    }

    @Test
    void encodedWordsStayRawButDecodeOnRequest() {
        Envelope e = envelope("""
                From: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>
                To: "=?utf-8?q?J=C3=B6rg?= #1" <joerg@example.de>, Group =?utf-8?q?G=C3=BC?=: x@y.test;
                Subject: =?utf-8?B?SGVsbG8g4oKs?= and more
                Sender: sender@example.com

                body
                """);
        Mailbox from = (Mailbox) e.from().getFirst();
        assertThat(from.name()).contains("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=");
        assertThat(from.decodedName()).contains("Keld J\u00f8rn Simonsen");
        Mailbox joerg = (Mailbox) e.to().getFirst();
        assertThat(joerg.address()).isEqualTo("joerg@example.de");
        assertThat(joerg.name().orElseThrow()).contains("#1").contains("=?utf-8?q?J=C3=B6rg?=");
        assertThat(e.to().get(1)).isInstanceOf(GroupStart.class);
        assertThat(((GroupStart) e.to().get(1)).decodedGroupName()).isEqualTo("Group G\u00fc");
        assertThat(e.subject()).contains("=?utf-8?B?SGVsbG8g4oKs?= and more");
        assertThat(e.decodedSubject()).contains("Hello \u20ac and more");
        assertThat(e.sender()).containsExactly(mb(null, "sender", "example.com"));
        assertThat(e.replyTo()).isEqualTo(e.from());
    }

    @Test
    void rawUtf8NamesKeepEveryCodePoint() {
        // RFC 6532: UTF-8 in a display name, including a character outside the BMP and a '#',
        // which the parser's escaping must carry through unchanged.
        Envelope e = MimeParser.parse(crlf("""
                From: J\u00f6rg \ud83d\ude00 #2 <joerg@example.de>
                To: "Zo\u00eb, \u00c5sa" <zoe@example.de>

                body
                """).getBytes(java.nio.charset.StandardCharsets.UTF_8)).envelope();
        assertThat(e.from()).containsExactly(mb("J\u00f6rg \ud83d\ude00 #2", "joerg", "example.de"));
        assertThat(e.to()).containsExactly(mb("Zo\u00eb, \u00c5sa", "zoe", "example.de"));
    }

    @Test
    void eightBitHeadersAndGarbageNeverThrow() {
        byte[] raw = ("From: J\u00f6rg \u65e5\u672c <j\u00f6rg@b\u00fccher.example>\r\nSubject: Gr\u00fc\u00dfe\r\n"
                + "To: <<>>, ,;:@, \"unterminated\r\nCc: \u0000\u0001garbage\r\nDate: not a date\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Envelope e = MimeParser.parse(raw).envelope();
        assertThat(e.subject()).contains("Gr\u00fc\u00dfe");
        Mailbox from = (Mailbox) e.from().getFirst();
        assertThat(from.name()).contains("J\u00f6rg \u65e5\u672c");
        assertThat(from.mailbox()).isEqualTo("j\u00f6rg");
        assertThat(from.host()).isEqualTo("b\u00fccher.example");
        assertThat(e.parsedDate()).isEmpty();

        byte[] latin1 = "Subject: caf\u00e9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MimeParser.parse(latin1).envelope().subject()).contains("caf\u00e9");
    }

    @Test
    void emptySenderFallsBackToFromAndFirstOccurrenceWins() {
        Envelope e = envelope("""
                From: a@example.com
                Sender:
                Reply-To:   \s
                Subject: first
                Subject: second

                """);
        assertThat(e.sender()).containsExactly(mb(null, "a", "example.com"));
        assertThat(e.replyTo()).containsExactly(mb(null, "a", "example.com"));
        assertThat(e.subject()).contains("first");
    }

    @Test
    void localPartWithoutDomainHasEmptyHostNotNil() {
        Envelope e = envelope("To: undisclosed\n\n");
        assertThat(e.to()).containsExactly(mb(null, "undisclosed", ""));
        assertThat(e.to().getFirst().imapHost()).contains("");
    }

    @Test
    void datesFollowRfc5322ObsoleteRules() {
        // RFC 5322 §4.3: 00-49 -> 20xx, 50-99 -> 19xx, three digits + 1900; obs-zone names.
        assertThat(Envelope.parseDate("1 Jan 49 10:00:00 +0000")).contains(Instant.parse("2049-01-01T10:00:00Z"));
        assertThat(Envelope.parseDate("1 Jan 50 10:00:00 +0000")).contains(Instant.parse("1950-01-01T10:00:00Z"));
        assertThat(Envelope.parseDate("1 Jan 103 10:00:00 +0000")).contains(Instant.parse("2003-01-01T10:00:00Z"));
        assertThat(Envelope.parseDate("Fri, 21 Nov 1997 09:55:06 EST")).contains(Instant.parse("1997-11-21T14:55:06Z"));
        assertThat(Envelope.parseDate("Fri, 21 Nov 1997 09:55:06 PDT")).contains(Instant.parse("1997-11-21T16:55:06Z"));
        assertThat(Envelope.parseDate("Fri, 21 Nov 1997 09:55:06 Q")).contains(Instant.parse("1997-11-21T09:55:06Z"));
        assertThat(Envelope.parseDate("Fri,21 Nov 1997 09:55 +0130")).contains(Instant.parse("1997-11-21T08:25:00Z"));
        assertThat(Envelope.parseDate("Tue, 1 Jul 2003 10:52:37+0200 (CEST) trailing"))
                .contains(Instant.parse("2003-07-01T08:52:37Z"));
        assertThat(Envelope.parseDate("Wed, 31 Dec 2008 23:59:60 +0000")).contains(Instant.parse("2008-12-31T23:59:59Z"));
        assertThat(Envelope.parseDate("1 January 2024 10:00:00")).contains(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(Envelope.parseDate("Mon, 31 Feb 2024 10:00:00 +0000")).isEmpty();
        assertThat(Envelope.parseDate("Mon, 1 Jan 2024 25:00:00 +0000")).isEmpty();
        assertThat(Envelope.parseDate("Mon, 1 Jan 2024 10:00:00 +0099")).isEmpty();
        assertThat(Envelope.parseDate("")).isEmpty();
        assertThat(Envelope.parseDate("yesterday")).isEmpty();
        assertThat(Envelope.parseDate("((unbalanced")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aCommentIsTheNameWhenThereIsNoDisplayName() {
        var list = EnvelopeParser.parseAddressList("user@domain (Real Name), other@x.org, \"Quoted\" <q@x.org> (ignored), grp: g@d.org (G);");
        org.assertj.core.api.Assertions.assertThat(list).containsExactly(
                new EnvelopeAddress.Mailbox(java.util.Optional.of("Real Name"), java.util.Optional.empty(), "user", "domain"),
                new EnvelopeAddress.Mailbox(java.util.Optional.empty(), java.util.Optional.empty(), "other", "x.org"),
                new EnvelopeAddress.Mailbox(java.util.Optional.of("Quoted"), java.util.Optional.empty(), "q", "x.org"),
                new EnvelopeAddress.GroupStart("grp"),
                new EnvelopeAddress.Mailbox(java.util.Optional.of("G"), java.util.Optional.empty(), "g", "d.org"),
                new EnvelopeAddress.GroupEnd());
    }
}
