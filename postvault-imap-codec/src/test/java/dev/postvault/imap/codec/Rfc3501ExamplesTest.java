package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.command;
import static dev.postvault.imap.codec.Wire.lines;
import static dev.postvault.imap.codec.Wire.parse;
import static dev.postvault.imap.codec.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.codec.ImapCommand.Store.Action;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The client commands of the examples in RFC 3501 §6, §7.5 and §8, verbatim. */
class Rfc3501ExamplesTest {

    private static final SearchKey.Header NOT_FROM_SMITH_KEY = new SearchKey.Header("From", "Smith");

    @Test
    void anyStateCommands() { // §6.1
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("abcd CAPABILITY")))
                .isEqualTo(new ReadResult.TaggedCommand("abcd", ImapCommandSpec.CAPABILITY, new ImapCommand.Capability()));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("efgh STARTTLS")).command())
                .isEqualTo(new ImapCommand.StartTls());
        assertThat(parse(lines("a002 NOOP")).tag()).isEqualTo("a002");
        assertThat(command(lines("a047 NOOP"))).isEqualTo(new ImapCommand.Noop());
        assertThat(parse(lines("A023 LOGOUT")))
                .isEqualTo(new ReadResult.TaggedCommand("A023", ImapCommandSpec.LOGOUT, new ImapCommand.Logout()));
    }

    @Test
    void notAuthenticatedCommands() { // §6.2
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a004 LOGIN joe password")).command())
                .isEqualTo(new ImapCommand.Login("joe", "password"));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a001 LOGIN SMITH SESAME")).command())
                .isEqualTo(new ImapCommand.Login("SMITH", "SESAME"));
    }

    @Test
    void authenticateGssapiWithContinuationLines() { // §6.2.2, line breaks of the example removed
        String first = "YIIB+wYJKoZIhvcSAQICAQBuggHqMIIB5qADAgEFoQMCAQ6iBwMFACAAAACjggEmYYIBIjCCAR6gAwIBBaESGxB1Lndhc2hpbmd0"
                + "b24uZWR1oi0wK6ADAgEDoSQwIhsEaW1hcBsac2hpdmFtcy5jYWMud2FzaGluZ3Rvbi5lZHWjgdMwgdCgAwIBAaEDAgEDooHDBIHA"
                + "cS1GSa5b+fXnPZNmXB9SjL8Ollj2SKyb+3S0iXMljen/jNkpJXAleKTz6BQPzj8duz8EtoOuNfKgweViyn/9B9bccy1uuAE2HI0y"
                + "C/PHXNNU9ZrBziJ8Lm0tTNc98kUpjXnHZhsMcz5Mx2GR6dGknbI0iaGcRerMUsWOuBmKKKRmVMMdR9T3EZdpqsBd7jZCNMWotjhi"
                + "vd5zovQlFqQ2Wjc2+y46vKP/iXxWIuQJuDiisyXF0Y8+5GTpALpHDc1/pIGmMIGjoAMCAQGigZsEgZg2on5mSuxoDHEA1w9bcW9n"
                + "FdFxDKpdrQhVGVRDIzcCMCTzvUboqb5KjY1NJKJsfjRQiBYBdENKfzK+g5DlV8nrw81uOcP8NOQCLR5XkoMHC0Dr/80ziQzbNqhx"
                + "O6652Npft0LQwJvenwDI13YxpwOdMXzkWZN/XrEqOWp6GCgXTBvCyLWLlWnbaUkZdEYbKHBPjd8t/1x5Yg==";
        String last = "YDMGCSqGSIb3EgECAgIBAAD/////3LQBHXTpFfZgrejpLlLImPwkhbfa2QteAQAgAG1yYwE=";
        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                lines("A001 AUTHENTICATE GSSAPI", first, "", last, "A002 NOOP"))));
        ReadResult result = reader.read(ImapState.NOT_AUTHENTICATED, new Wire.RecordingContinuation());
        assertThat(result).isEqualTo(new ReadResult.TaggedCommand("A001", ImapCommandSpec.AUTHENTICATE,
                new ImapCommand.Authenticate("GSSAPI", Optional.empty())));
        SaslResponse token = reader.readSaslResponse();
        assertThat(token).isInstanceOf(SaslResponse.Data.class);
        assertThat(((SaslResponse.Data) token).data().byteAt(0)).isEqualTo((byte) 0x60);
        assertThat(((SaslResponse.Data) token).data().length()).isEqualTo(first.length() / 4 * 3 - 2);
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.Data(Octets.empty()));
        assertThat(reader.readSaslResponse()).isInstanceOf(SaslResponse.Data.class);
        assertThat(reader.read(ImapState.AUTHENTICATED, new Wire.RecordingContinuation()))
                .isInstanceOf(ReadResult.TaggedCommand.class);
    }

    @Test
    void mailboxCommands() { // §6.3
        assertThat(command(lines("A142 SELECT INBOX")))
                .isEqualTo(new ImapCommand.Select("INBOX", SelectParameters.none()));
        assertThat(command(lines("A932 EXAMINE blurdybloop")))
                .isEqualTo(new ImapCommand.Examine("blurdybloop", SelectParameters.none()));
        assertThat(command(lines("A003 CREATE owatagusiam/"))).isEqualTo(new ImapCommand.Create("owatagusiam/", List.of()));
        assertThat(command(lines("A004 CREATE owatagusiam/blurdybloop")))
                .isEqualTo(new ImapCommand.Create("owatagusiam/blurdybloop", List.of()));
        assertThat(command(lines("A683 DELETE blurdybloop"))).isEqualTo(new ImapCommand.Delete("blurdybloop"));
        assertThat(command(lines("A685 DELETE foo/bar"))).isEqualTo(new ImapCommand.Delete("foo/bar"));
        assertThat(command(lines("A683 RENAME blurdybloop sarasoop")))
                .isEqualTo(new ImapCommand.Rename("blurdybloop", "sarasoop"));
        assertThat(command(lines("A684 RENAME foo zowie"))).isEqualTo(new ImapCommand.Rename("foo", "zowie"));
        assertThat(command(lines("Z433 RENAME INBOX old-mail"))).isEqualTo(new ImapCommand.Rename("INBOX", "old-mail"));
        assertThat(command(lines("A002 SUBSCRIBE #news.comp.mail.mime")))
                .isEqualTo(new ImapCommand.Subscribe("#news.comp.mail.mime"));
        assertThat(command(lines("A002 UNSUBSCRIBE #news.comp.mail.mime")))
                .isEqualTo(new ImapCommand.Unsubscribe("#news.comp.mail.mime"));
        assertThat(command(lines("A042 STATUS blurdybloop (UIDNEXT MESSAGES)")))
                .isEqualTo(new ImapCommand.Status("blurdybloop", List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES)));
    }

    @Test
    void listAndLsub() { // §6.3.8, §6.3.9
        assertThat(command(lines("A682 LIST \"\" *"))).isEqualTo(simpleList("", "*"));
        assertThat(command(lines("A86 LIST \"\" %"))).isEqualTo(simpleList("", "%"));
        assertThat(command(lines("A101 LIST \"\" \"\""))).isEqualTo(simpleList("", ""));
        assertThat(command(lines("A102 LIST #news.comp.mail.misc \"\""))).isEqualTo(simpleList("#news.comp.mail.misc", ""));
        assertThat(command(lines("A103 LIST /usr/staff/jones \"\""))).isEqualTo(simpleList("/usr/staff/jones", ""));
        assertThat(command(lines("A202 LIST ~/Mail/ %"))).isEqualTo(simpleList("~/Mail/", "%"));
        assertThat(command(lines("A002 LSUB \"#news.\" \"comp.mail.*\"")))
                .isEqualTo(new ImapCommand.Lsub("#news.", "comp.mail.*"));
        assertThat(command(lines("A003 LSUB \"#news.\" \"comp.%\""))).isEqualTo(new ImapCommand.Lsub("#news.", "comp.%"));
    }

    static ImapCommand.ListMailboxes simpleList(String reference, String pattern) {
        return new ImapCommand.ListMailboxes(reference, List.of(pattern), java.util.Set.of(), java.util.Set.of(),
                List.of(), false);
    }

    @Test
    void appendWithSynchronizingLiteral() { // §6.3.11
        String message = lines(
                "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
                "From: Fred Foobar <foobar@Blurdybloop.COM>",
                "Subject: afternoon meeting",
                "To: mooch@owatagu.siam.edu",
                "Message-Id: <B27397-0100000@Blurdybloop.COM>",
                "MIME-Version: 1.0",
                "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
                "",
                "Hello Joe, do you think we can meet at 3:30 tomorrow?");
        assertThat(message).hasSize(310);
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        List<ReadResult> results = Wire.readAll(new ByteArrayInputStream(utf8(
                        "A003 APPEND saved-messages (\\Seen) {310}\r\n" + message + "\r\n")),
                ImapState.AUTHENTICATED, false, ImapLimits.defaults(), continuation);
        assertThat(results.getFirst()).isEqualTo(new ReadResult.TaggedCommand("A003", ImapCommandSpec.APPEND,
                new ImapCommand.Append("saved-messages", List.of(new AppendMessage(List.of("\\Seen"), Optional.empty(),
                        Octets.ascii(message), false, false)))));
        assertThat(continuation.requests)
                .containsExactly(new LiteralRequest("A003", ImapCommandSpec.APPEND, 310, false));
    }

    @Test
    void selectedStateCommands() { // §6.4
        assertThat(command(lines("FXXZ CHECK"))).isEqualTo(new ImapCommand.Check());
        assertThat(command(lines("A341 CLOSE"))).isEqualTo(new ImapCommand.Close());
        assertThat(command(lines("A202 EXPUNGE"))).isEqualTo(new ImapCommand.Expunge());
        assertThat(command(lines("A003 STORE 2:4 +FLAGS (\\Deleted)"))).isEqualTo(new ImapCommand.Store(false,
                SequenceSet.of(new SequenceSet.Range(2, 4)), OptionalLong.empty(), Action.ADD, false, List.of("\\Deleted")));
        assertThat(command(lines("A003 COPY 2:4 MEETING")))
                .isEqualTo(new ImapCommand.Copy(false, SequenceSet.of(new SequenceSet.Range(2, 4)), "MEETING"));
        assertThat(parse(lines("A999 UID FETCH 4827313:4828442 FLAGS"))).isEqualTo(new ReadResult.TaggedCommand("A999",
                ImapCommandSpec.UID_FETCH, new ImapCommand.Fetch(true, SequenceSet.of(new SequenceSet.Range(4827313, 4828442)),
                        List.of(new FetchItem.Flags()), OptionalLong.empty(), false)));
    }

    @Test
    void search() { // §6.4.4
        assertThat(command(lines("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")))
                .isEqualTo(new ImapCommand.Search(false, Optional.empty(), Optional.empty(), new SearchKey.And(List.of(
                        new SearchKey.Flag("\\Flagged", true),
                        new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE, LocalDate.of(1994, 2, 1)),
                        new SearchKey.Not(NOT_FROM_SMITH_KEY)))));
        assertThat(command(lines("A283 SEARCH TEXT \"string not in mailbox\"")))
                .isEqualTo(new ImapCommand.Search(false, Optional.empty(), Optional.empty(),
                        new SearchKey.Text("string not in mailbox")));
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        List<ReadResult> results = Wire.readAll(new ByteArrayInputStream(utf8(lines("A284 SEARCH CHARSET UTF-8 TEXT {6}", "XXXXXX"))),
                ImapState.SELECTED, false, ImapLimits.defaults(), continuation);
        assertThat(((ReadResult.TaggedCommand) results.getFirst()).command()).isEqualTo(new ImapCommand.Search(false,
                Optional.of("UTF-8"), Optional.empty(), new SearchKey.Text("XXXXXX")));
        assertThat(continuation.requests).hasSize(1);
        // the same with six real octets of 8-bit data
        results = Wire.readAll(new ByteArrayInputStream(utf8(lines("A284 SEARCH CHARSET UTF-8 TEXT {6}", "äöü"))),
                ImapState.SELECTED, false, ImapLimits.defaults(), continuation);
        assertThat(((ImapCommand.Search) ((ReadResult.TaggedCommand) results.getFirst()).command()).key())
                .isEqualTo(new SearchKey.Text("äöü"));
    }

    @Test
    void fetchHeaderFields() { // §6.4.5
        assertThat(command(lines("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])")))
                .isEqualTo(new ImapCommand.Fetch(false, SequenceSet.of(new SequenceSet.Range(2, 4)), List.of(
                        new FetchItem.Flags(),
                        new FetchItem.BodySection(new Section(List.of(),
                                new Section.Specifier.HeaderFields(List.of("DATE", "FROM"), false)), Optional.empty(), false)),
                        OptionalLong.empty(), false));
    }

    @Test
    void unknownCommandIsBadWithTag() { // §6.5.1
        ReadResult.ParseError error = Wire.error(ImapState.AUTHENTICATED, lines("A442 XPIG-LATIN"));
        assertThat(error.tag()).contains("A442");
        assertThat(error.status()).isEqualTo(ResponseStatus.BAD);
        assertThat(error.fatal()).isFalse();
    }

    @Test
    void literalsInLoginAndRefusedLiteral() { // §7.5
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        Wire.TrapInputStream in = new Wire.TrapInputStream(utf8(lines(
                "A001 LOGIN {11}", "FRED FOOBAR {7}", "fat man", "A044 BLURDYBLOOP {102856}")));
        ImapCommandReader reader = new ImapCommandReader(in);
        assertThat(reader.read(ImapState.NOT_AUTHENTICATED, continuation)).isEqualTo(new ReadResult.TaggedCommand(
                "A001", ImapCommandSpec.LOGIN, new ImapCommand.Login("FRED FOOBAR", "fat man")));
        assertThat(continuation.requests).containsExactly(
                new LiteralRequest("A001", ImapCommandSpec.LOGIN, 11, false),
                new LiteralRequest("A001", ImapCommandSpec.LOGIN, 7, false));
        ReadResult refused = reader.read(ImapState.AUTHENTICATED, continuation);
        assertThat(refused).isInstanceOf(ReadResult.ParseError.class);
        assertThat(((ReadResult.ParseError) refused).tag()).contains("A044");
        assertThat(continuation.requests).hasSize(2); // no "+" for the unknown command
    }

    @Test
    void sampleConnection() { // §8, lower case as in the sample
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a001 login mrc secret")).command())
                .isEqualTo(new ImapCommand.Login("mrc", "secret"));
        assertThat(parse(ImapState.AUTHENTICATED, lines("a002 select inbox")).command())
                .isEqualTo(new ImapCommand.Select("INBOX", SelectParameters.none()));
        assertThat(command(lines("a003 fetch 12 full"))).isEqualTo(new ImapCommand.Fetch(false, SequenceSet.single(12),
                List.of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size(),
                        new FetchItem.Envelope(), new FetchItem.Body()), OptionalLong.empty(), false));
        assertThat(command(lines("a004 fetch 12 body[header]"))).isEqualTo(new ImapCommand.Fetch(false,
                SequenceSet.single(12), List.of(new FetchItem.BodySection(
                        new Section(List.of(), new Section.Specifier.Header()), Optional.empty(), false)),
                OptionalLong.empty(), false));
        assertThat(command(lines("a005 store 12 +flags \\deleted"))).isEqualTo(new ImapCommand.Store(false,
                SequenceSet.single(12), OptionalLong.empty(), Action.ADD, false, List.of("\\Deleted")));
        assertThat(parse(lines("a006 logout")).spec()).isEqualTo(ImapCommandSpec.LOGOUT);
    }

    @Test
    void appendDateTimeIsParsed() {
        ImapCommand.Append append = (ImapCommand.Append) parse(ImapState.AUTHENTICATED,
                "a APPEND x (\\Seen $Label) \" 7-Feb-1994 21:52:25 -0800\" {1+}\r\nZ\r\n").command();
        assertThat(append.messages().getFirst().internalDate())
                .contains(OffsetDateTime.parse("1994-02-07T21:52:25-08:00"));
        assertThat(append.messages().getFirst().flags()).containsExactly("\\Seen", "$Label");
    }
}
