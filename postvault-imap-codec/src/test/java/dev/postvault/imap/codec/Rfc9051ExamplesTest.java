package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.command;
import static dev.postvault.imap.codec.Wire.lines;
import static dev.postvault.imap.codec.Wire.parse;
import static dev.postvault.imap.codec.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.codec.SearchKey.Comparison;
import dev.postvault.imap.codec.SearchKey.DateField;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client commands of the examples in RFC 9051 §6 (and §7.5, Appendix), verbatim. */
class Rfc9051ExamplesTest {

    private static final Octets PLAIN_TEST = Octets.ascii("test\0test\0test");
    private static final SearchKey SINCE_1994 = new SearchKey.Date(DateField.INTERNAL, Comparison.SINCE, LocalDate.of(1994, 2, 1));
    private static final SearchKey NOT_FROM_SMITH = new SearchKey.Not(new SearchKey.Header("From", "Smith"));

    @Test
    void authenticateWithInitialResponse() { // §6.2.1, §6.2.2 (SASL-IR, RFC 4959)
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a004 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=")))
                .isEqualTo(new ReadResult.TaggedCommand("a004", ImapCommandSpec.AUTHENTICATE,
                        new ImapCommand.Authenticate("PLAIN", Optional.of(PLAIN_TEST))));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("A03 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=")).command())
                .isEqualTo(new ImapCommand.Authenticate("PLAIN", Optional.of(PLAIN_TEST)));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("A01 AUTHENTICATE EXTERNAL =")).command())
                .isEqualTo(new ImapCommand.Authenticate("EXTERNAL", Optional.of(Octets.empty())));
    }

    @Test
    void authenticateWithoutInitialResponse() { // §6.2.2
        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                lines("A01 AUTHENTICATE PLAIN", "dGVzdAB0ZXN0AHRlc3Q=", "A02 AUTHENTICATE PLAIN", "*"))));
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        assertThat(reader.read(ImapState.NOT_AUTHENTICATED, continuation)).isEqualTo(new ReadResult.TaggedCommand(
                "A01", ImapCommandSpec.AUTHENTICATE, new ImapCommand.Authenticate("PLAIN", Optional.empty())));
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.Data(PLAIN_TEST));
        assertThat(reader.read(ImapState.NOT_AUTHENTICATED, continuation)).isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.Cancelled());
        assertThat(reader.readSaslResponse()).isEqualTo(new SaslResponse.EndOfStream());
    }

    @Test
    void enable() { // §6.3.1
        assertThat(parse(ImapState.AUTHENTICATED, lines("t2 ENABLE CONDSTORE X-GOOD-IDEA")).command())
                .isEqualTo(new ImapCommand.Enable(List.of("CONDSTORE", "X-GOOD-IDEA")));
        assertThat(parse(ImapState.AUTHENTICATED, lines("a1 ENABLE CONDSTORE")).command())
                .isEqualTo(new ImapCommand.Enable(List.of("CONDSTORE")));
        assertThat(parse(ImapState.AUTHENTICATED, lines("babc ENABLE IMAP4rev2")).command())
                .isEqualTo(new ImapCommand.Enable(List.of("IMAP4REV2")));
    }

    @Test
    void mailboxCommands() { // §6.3.2 - §6.3.11
        assertThat(command(lines("A143 SELECT Drafts"))).isEqualTo(new ImapCommand.Select("Drafts", SelectParameters.none()));
        assertThat(command(lines("A005 CREATE NonNormalized"))).isEqualTo(new ImapCommand.Create("NonNormalized", List.of()));
        assertThat(command(lines("A002 CREATE \"INBOX.Sent Mail\"")))
                .isEqualTo(new ImapCommand.Create("INBOX.Sent Mail", List.of()));
        assertThat(command(lines("1001 RENAME X Y"))).isEqualTo(new ImapCommand.Rename("X", "Y"));
        assertThat(command(lines("1002 SUBSCRIBE Y"))).isEqualTo(new ImapCommand.Subscribe("Y"));
        assertThat(command(lines("1003 UNSUBSCRIBE X"))).isEqualTo(new ImapCommand.Unsubscribe("X"));
        assertThat(command(lines("A001 NAMESPACE"))).isEqualTo(new ImapCommand.Namespace());
        assertThat(command(lines("l create \"///////\""))).isEqualTo(new ImapCommand.Create("///////", List.of()));
        assertThat(command(lines("k2 status \"/archive/projects/experiment-iv\" (messages)")))
                .isEqualTo(new ImapCommand.Status("/archive/projects/experiment-iv", List.of(StatusItem.MESSAGES)));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("b LOGIN \"fred\" \"foo\"")).command())
                .isEqualTo(new ImapCommand.Login("fred", "foo"));
    }

    @Test
    void listExtended() { // §6.3.9 examples, with RFC 5258 options
        assertThat(command(lines("A01 LIST \"\" \"*\""))).isEqualTo(list(Set.of(), List.of("*"), Set.of(), List.of(), false));
        assertThat(command(lines("A02 LIST (SUBSCRIBED) \"\" \"*\"")))
                .isEqualTo(list(Set.of(ListSelectOption.SUBSCRIBED), List.of("*"), Set.of(), List.of(), true));
        assertThat(command(lines("A03 LIST () \"\" \"%\" RETURN (CHILDREN)")))
                .isEqualTo(list(Set.of(), List.of("%"), Set.of(ListReturnOption.CHILDREN), List.of(), true));
        assertThat(command(lines("A04 LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)")))
                .isEqualTo(list(Set.of(ListSelectOption.REMOTE), List.of("%"), Set.of(ListReturnOption.CHILDREN), List.of(), true));
        assertThat(command(lines("A05 LIST (REMOTE SUBSCRIBED) \"\" \"*\""))).isEqualTo(list(
                Set.of(ListSelectOption.REMOTE, ListSelectOption.SUBSCRIBED), List.of("*"), Set.of(), List.of(), true));
        assertThat(command(lines("A06 LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)"))).isEqualTo(list(
                Set.of(ListSelectOption.REMOTE), List.of("*"), Set.of(ListReturnOption.SUBSCRIBED), List.of(), true));
        assertThat(command(lines("C04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)"))).isEqualTo(list(
                Set.of(ListSelectOption.SUBSCRIBED, ListSelectOption.RECURSIVEMATCH), List.of("%"),
                Set.of(ListReturnOption.CHILDREN), List.of(), true));
        assertThat(command(lines("D03 LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\""))).isEqualTo(list(
                Set.of(ListSelectOption.SUBSCRIBED, ListSelectOption.RECURSIVEMATCH), List.of("*2"), Set.of(), List.of(), true));
        assertThat(command(lines("a1 LIST \"\" (\"foo\")"))).isEqualTo(list(Set.of(), List.of("foo"), Set.of(), List.of(), true));
        assertThat(command(lines("a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)"))).isEqualTo(list(
                Set.of(ListSelectOption.SUBSCRIBED, ListSelectOption.RECURSIVEMATCH), List.of("foo"),
                Set.of(ListReturnOption.CHILDREN), List.of(), true));
        assertThat(command(lines("a3.1 LIST \"\" (% music/rock)")))
                .isEqualTo(list(Set.of(), List.of("%", "music/rock"), Set.of(), List.of(), true));
        assertThat(command(lines("A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))"))).isEqualTo(list(Set.of(),
                List.of("%"), Set.of(ListReturnOption.STATUS), List.of(StatusItem.MESSAGES, StatusItem.UNSEEN), true));
        assertThat(command(lines("A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))"))).isEqualTo(list(
                Set.of(ListSelectOption.SUBSCRIBED, ListSelectOption.RECURSIVEMATCH), List.of("%"),
                Set.of(ListReturnOption.STATUS), List.of(StatusItem.MESSAGES), true));
        assertThat(command(lines("A002 LIST (SPECIAL-USE) \"\" \"*\"")))
                .isEqualTo(list(Set.of(ListSelectOption.SPECIAL_USE), List.of("*"), Set.of(), List.of(), true));
        ImapCommand.ListMailboxes mh = (ImapCommand.ListMailboxes) command(lines("A003 LIST (SPECIAL-USE) \"#mh/\" \"*\""));
        assertThat(mh.reference()).isEqualTo("#mh/");
        assertThat(command(lines("A002 LIST \"\" \"#Users/%\""))).isEqualTo(list(Set.of(), List.of("#Users/%"), Set.of(), List.of(), false));
    }

    private static ImapCommand.ListMailboxes list(Set<ListSelectOption> select, List<String> patterns,
                                                  Set<ListReturnOption> returns, List<StatusItem> status, boolean extended) {
        return new ImapCommand.ListMailboxes("", patterns, select, returns, status, extended);
    }

    @Test
    void appendSynchronizingAndNonSynchronizing() { // §6.3.12
        String message326 = lines(
                "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
                "From: Fred Foobar <foobar@Blurdybloop.example>",
                "Subject: afternoon meeting",
                "To: mooch@owatagu.siam.edu.example",
                "Message-Id: <B27397-0100000@Blurdybloop.example>",
                "MIME-Version: 1.0",
                "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
                "",
                "Hello Joe, do you think we can meet at 3:30 tomorrow?");
        String message297 = lines(
                "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
                "From: Fred Foobar <foobar@example.com>",
                "Subject: afternoon meeting",
                "To: mooch@example.com",
                "Message-Id: <B27397-0100000@example.com>",
                "MIME-Version: 1.0",
                "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
                "",
                "Hello Joe, do you think we can meet at 3:30 tomorrow?");
        assertThat(message326).hasSize(326);
        assertThat(message297).hasSize(297);
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        List<ReadResult> results = Wire.readAll(new ByteArrayInputStream(utf8(
                        "A003 APPEND saved-messages (\\Seen) {326}\r\n" + message326 + "\r\n"
                                + "A003 APPEND saved-messages (\\Seen) {297+}\r\n" + message297 + "\r\n"
                                + lines("A004 COPY 2:4 meeting", "A005 UID COPY 305:310 meeting", "A006 COPY 2 funny"))),
                ImapState.SELECTED, false, ImapLimits.defaults(), continuation);
        assertThat(results).hasSize(6);
        assertThat(((ReadResult.TaggedCommand) results.get(0)).command()).isEqualTo(new ImapCommand.Append("saved-messages",
                List.of(new AppendMessage(List.of("\\Seen"), Optional.empty(), Octets.ascii(message326), false, false))));
        assertThat(((ReadResult.TaggedCommand) results.get(1)).command()).isEqualTo(new ImapCommand.Append("saved-messages",
                List.of(new AppendMessage(List.of("\\Seen"), Optional.empty(), Octets.ascii(message297), false, false))));
        assertThat(continuation.requests).hasSize(1); // only the synchronizing literal asked for "+"
        assertThat(((ReadResult.TaggedCommand) results.get(2)).command())
                .isEqualTo(new ImapCommand.Copy(false, SequenceSet.of(new SequenceSet.Range(2, 4)), "meeting"));
        assertThat(((ReadResult.TaggedCommand) results.get(3)).command())
                .isEqualTo(new ImapCommand.Copy(true, SequenceSet.of(new SequenceSet.Range(305, 310)), "meeting"));
        assertThat(((ReadResult.TaggedCommand) results.get(4)).command())
                .isEqualTo(new ImapCommand.Copy(false, SequenceSet.single(2), "funny"));
    }

    @Test
    void idleAndDone() { // §6.3.13
        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                lines("A002 IDLE", "DONE", "A003 FETCH 4 ALL", "A004 IDLE", "done", "A006 IDLE", "NOOP"))));
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        assertThat(reader.read(ImapState.SELECTED, continuation))
                .isEqualTo(new ReadResult.TaggedCommand("A002", ImapCommandSpec.IDLE, new ImapCommand.Idle()));
        assertThat(reader.readIdleDone()).isEqualTo(new IdleEnd.Done());
        assertThat(((ReadResult.TaggedCommand) reader.read(ImapState.SELECTED, continuation)).command())
                .isEqualTo(new ImapCommand.Fetch(false, SequenceSet.single(4), FetchItem.ALL, OptionalLong.empty(), false));
        assertThat(reader.read(ImapState.SELECTED, continuation)).isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(reader.readIdleDone()).isEqualTo(new IdleEnd.Done());
        assertThat(reader.read(ImapState.SELECTED, continuation)).isInstanceOf(ReadResult.TaggedCommand.class);
        assertThat(reader.readIdleDone()).isInstanceOf(IdleEnd.NotDone.class);
        assertThat(reader.readIdleDone()).isEqualTo(new IdleEnd.EndOfStream());
    }

    @Test
    void closeUnselectExpunge() { // §6.4.1 - §6.4.3, §6.4.9
        assertThat(command(lines("A342 UNSELECT"))).isEqualTo(new ImapCommand.Unselect());
        assertThat(parse(lines("A003 UID EXPUNGE 3000:3002"))).isEqualTo(new ReadResult.TaggedCommand("A003",
                ImapCommandSpec.UID_EXPUNGE, new ImapCommand.UidExpunge(SequenceSet.of(new SequenceSet.Range(3000, 3002)))));
        assertThat(parse(lines("a UID MOVE 42:69 foo"))).isEqualTo(new ReadResult.TaggedCommand("a",
                ImapCommandSpec.UID_MOVE, new ImapCommand.Move(true, SequenceSet.of(new SequenceSet.Range(42, 69)), "foo")));
        assertThat(command(lines("n1 uid copy 1:* oldmail"))).isEqualTo(new ImapCommand.Copy(true,
                SequenceSet.of(new SequenceSet.Range(1, SequenceSet.STAR)), "oldmail"));
    }

    @Test
    void esearch() { // §6.4.4
        assertThat(command(lines("A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")))
                .isEqualTo(new ImapCommand.Search(false, Optional.empty(),
                        Optional.of(Set.of(SearchReturnOption.MIN, SearchReturnOption.COUNT)),
                        new SearchKey.And(List.of(new SearchKey.Flag("\\Flagged", true), SINCE_1994, NOT_FROM_SMITH))));
        assertThat(command(lines("A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")))
                .isEqualTo(new ImapCommand.Search(false, Optional.empty(), Optional.of(Set.of(SearchReturnOption.ALL)),
                        new SearchKey.And(List.of(new SearchKey.Flag("\\Flagged", true), SINCE_1994, NOT_FROM_SMITH))));
        assertThat(command(lines("A284 SEARCH RETURN (MIN) UNSEEN"))).isEqualTo(new ImapCommand.Search(false,
                Optional.empty(), Optional.of(Set.of(SearchReturnOption.MIN)), new SearchKey.Flag("\\Seen", false)));
        assertThat(parse(lines("A285 UID SEARCH RETURN (MIN MAX) 1:5000"))).isEqualTo(new ReadResult.TaggedCommand("A285",
                ImapCommandSpec.UID_SEARCH, new ImapCommand.Search(true, Optional.empty(),
                        Optional.of(Set.of(SearchReturnOption.MIN, SearchReturnOption.MAX)),
                        new SearchKey.SequenceNumbers(SequenceSet.of(new SequenceSet.Range(1, 5000))))));
        assertThat(command(lines("A286 SEARCH RETURN (COUNT) DELETED"))).isEqualTo(new ImapCommand.Search(false,
                Optional.empty(), Optional.of(Set.of(SearchReturnOption.COUNT)), new SearchKey.Flag("\\Deleted", true)));
        assertThat(command(lines("A285 SEARCH CHARSET UTF-8 TEXT {12}", "отпуск"))).isEqualTo(new ImapCommand.Search(false,
                Optional.of("UTF-8"), Optional.empty(), new SearchKey.Text("отпуск")));
    }

    @Test
    void searchResultVariable() { // §6.4.4.1 (RFC 5182)
        assertThat(command(lines("A282 SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")))
                .isEqualTo(new ImapCommand.Search(false, Optional.empty(), Optional.of(Set.of(SearchReturnOption.SAVE)),
                        new SearchKey.And(List.of(new SearchKey.Flag("\\Flagged", true), SINCE_1994, NOT_FROM_SMITH))));
        assertThat(command(lines("A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])"))).isEqualTo(new ImapCommand.Fetch(
                false, SequenceSet.saved(), List.of(new FetchItem.Uid(), new FetchItem.InternalDate(), new FetchItem.Flags(),
                        new FetchItem.BodySection(new Section(List.of(), new Section.Specifier.Header()), Optional.empty(), true)),
                OptionalLong.empty(), false));
        assertThat(command(lines("A301 UID SEARCH UID $ SMALLER 4096"))).isEqualTo(new ImapCommand.Search(true,
                Optional.empty(), Optional.empty(), new SearchKey.And(List.of(
                        new SearchKey.Uids(SequenceSet.saved()), new SearchKey.Smaller(4096)))));
        assertThat(command(lines("A301 UID SEARCH $ SMALLER 4096"))).isEqualTo(new ImapCommand.Search(true,
                Optional.empty(), Optional.empty(), new SearchKey.And(List.of(
                        new SearchKey.SequenceNumbers(SequenceSet.saved()), new SearchKey.Smaller(4096)))));
        assertThat(command(lines("P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}", "мать")))
                .isEqualTo(new ImapCommand.Search(false, Optional.of("UTF-8"), Optional.empty(), new SearchKey.And(List.of(
                        new SearchKey.Or(new SearchKey.SequenceNumbers(SequenceSet.saved()),
                                new SearchKey.SequenceNumbers(SequenceSet.of(SequenceSet.Range.of(1),
                                        new SequenceSet.Range(3000, 3021)))),
                        new SearchKey.Text("мать")))));
        assertThat(command(lines("E283 COPY $ \"Other Messages\"")))
                .isEqualTo(new ImapCommand.Copy(false, SequenceSet.saved(), "Other Messages"));
        assertThat(command(lines("F282 SEARCH RETURN (SAVE) KEYWORD $Junk"))).isEqualTo(new ImapCommand.Search(false,
                Optional.empty(), Optional.of(Set.of(SearchReturnOption.SAVE)), new SearchKey.Flag("$Junk", true)));
        assertThat(command(lines("F284 STORE $ +FLAGS.Silent (\\Deleted)"))).isEqualTo(new ImapCommand.Store(false,
                SequenceSet.saved(), OptionalLong.empty(), ImapCommand.Store.Action.ADD, true, List.of("\\Deleted")));
        assertThat(((ImapCommand.Search) command(lines("C286 SEARCH RETURN (MAX SAVE MIN COUNT) SINCE 12-Feb-2006 NOT FROM \"Smith\"")))
                .returnOptions()).contains(EnumSet.of(SearchReturnOption.MAX, SearchReturnOption.SAVE,
                        SearchReturnOption.MIN, SearchReturnOption.COUNT));
    }

    @Test
    void unsupportedCharsetIsRefusedBeforeTheLiteral() { // §6.4.4.1 example 5
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        Wire.TrapInputStream in = new Wire.TrapInputStream(utf8(
                lines("B283 SEARCH RETURN (SAVE) CHARSET KOI8-R (OR $ 1,3000:3021) TEXT {4}")));
        ReadResult result = new ImapCommandReader(in).read(ImapState.SELECTED, continuation);
        assertThat(result).isEqualTo(new ReadResult.ParseError(Optional.of("B283"), ResponseStatus.NO,
                Optional.of(new ResponseCode.BadCharset(List.of("US-ASCII", "UTF-8"))), "Unsupported charset", false));
        assertThat(continuation.requests).isEmpty();
    }

    @Test
    void fetchStoreMove() { // §6.4.5 - §6.4.8
        assertThat(command(lines("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])"))).isInstanceOf(ImapCommand.Fetch.class);
        assertThat(command(lines("A003 STORE 2:4 +FLAGS (\\Deleted)"))).isInstanceOf(ImapCommand.Store.class);
        assertThat(command(lines("A003 COPY 2:4 MEETING"))).isInstanceOf(ImapCommand.Copy.class);
        assertThat(command(lines("m STORE 42 FLAGS f1 f2 f3 f4 f5"))).isEqualTo(new ImapCommand.Store(false,
                SequenceSet.single(42), OptionalLong.empty(), ImapCommand.Store.Action.REPLACE, false,
                List.of("f1", "f2", "f3", "f4", "f5")));
        assertThat(command(lines("h search from maria@example.com"))).isEqualTo(new ImapCommand.Search(false,
                Optional.empty(), Optional.empty(), new SearchKey.Header("From", "maria@example.com")));
    }
}
