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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Extension syntax beyond the RFC 9051 examples. */
class ExtensionCommandsTest {

    @Test
    void selectWithQresync() { // RFC 7162 §3.2.5.2 examples
        assertThat(command(lines("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))")))
                .isEqualTo(new ImapCommand.Select("INBOX", new SelectParameters(false, Optional.of(
                        new SelectParameters.QResync(67890007L, 20050715194045000L, Optional.of(SequenceSet.of(
                                SequenceSet.Range.of(41), new SequenceSet.Range(43, 211), new SequenceSet.Range(214, 541))),
                                Optional.empty())))));
        assertThat(command(lines("B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976:29979)))")))
                .isEqualTo(new ImapCommand.Select("INBOX", new SelectParameters(false, Optional.of(
                        new SelectParameters.QResync(67890007L, 90060115194045000L,
                                Optional.of(SequenceSet.of(new SequenceSet.Range(1, 29997))),
                                Optional.of(new SelectParameters.SequenceMatch(
                                        SequenceSet.of(SequenceSet.Range.of(5000), SequenceSet.Range.of(7500),
                                                SequenceSet.Range.of(9000), new SequenceSet.Range(9990, 9999)),
                                        SequenceSet.of(SequenceSet.Range.of(15000), SequenceSet.Range.of(22500),
                                                SequenceSet.Range.of(27000), SequenceSet.Range.of(29970),
                                                SequenceSet.Range.of(29973), new SequenceSet.Range(29976, 29979)))))))));
        assertThat(command(lines("a examine foo (CONDSTORE QRESYNC (1 2))"))).isEqualTo(new ImapCommand.Examine("foo",
                new SelectParameters(true, Optional.of(new SelectParameters.QResync(1, 2, Optional.empty(), Optional.empty())))));
        assertThat(Wire.error(ImapState.SELECTED, lines("a SELECT INBOX (QRESYNC (1 2 1:*))")).status())
                .isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a SELECT INBOX (FOO)")).message()).contains("SELECT parameter");
    }

    @Test
    void createWithSpecialUse() { // RFC 6154 §5.2
        assertThat(command(lines("t1 CREATE MySpecial (USE (\\Drafts \\Sent))")))
                .isEqualTo(new ImapCommand.Create("MySpecial", List.of("\\Drafts", "\\Sent")));
        assertThat(command(lines("t1 CREATE x (use (\\junk \\X-Custom))")))
                .isEqualTo(new ImapCommand.Create("x", List.of("\\Junk", "\\X-Custom")));
        assertThat(command(lines("t1 LIST \"\" \"%\" RETURN (SPECIAL-USE)"))).isEqualTo(new ImapCommand.ListMailboxes(
                "", List.of("%"), Set.of(), Set.of(ListReturnOption.SPECIAL_USE), List.of(), true));
    }

    @Test
    void listRejectsInvalidOptions() { // RFC 5258 §3.1
        assertThat(Wire.error(ImapState.SELECTED, lines("a LIST (RECURSIVEMATCH) \"\" %")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a LIST (REMOTE RECURSIVEMATCH) \"\" %")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a LIST (FOO) \"\" %")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a LIST \"\" % RETURN (FOO)")).status()).isEqualTo(ResponseStatus.BAD);
    }

    @Test
    void statusItems() {
        assertThat(command(lines("a STATUS x (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ APPENDLIMIT MAILBOXID DELETED-STORAGE)")))
                .isEqualTo(new ImapCommand.Status("x", List.of(StatusItem.values())));
        assertThat(Wire.error(ImapState.SELECTED, lines("a STATUS x ()")).status()).isEqualTo(ResponseStatus.BAD);
    }

    @Test
    void multiappendBinaryAndUtf8() { // RFC 3502, RFC 3516 §4.4, RFC 6855 §4
        String wire = "a APPEND Drafts (\\Draft) \"05-Jan-2024 10:00:00 +0100\" {3}\r\nabc (\\Seen) ~{4}\r\nx\0yz {2+}\r\nhi\r\n";
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        List<ReadResult> results = Wire.readAll(new ByteArrayInputStream(utf8(wire)), ImapState.AUTHENTICATED, false,
                ImapLimits.defaults(), continuation);
        assertThat(((ReadResult.TaggedCommand) results.getFirst()).command()).isEqualTo(new ImapCommand.Append("Drafts", List.of(
                new AppendMessage(List.of("\\Draft"), Optional.of(OffsetDateTime.parse("2024-01-05T10:00:00+01:00")),
                        Octets.ascii("abc"), false, false),
                new AppendMessage(List.of("\\Seen"), Optional.empty(), Octets.ascii("x\0yz"), true, false),
                new AppendMessage(List.of(), Optional.empty(), Octets.ascii("hi"), false, false))));
        assertThat(continuation.requests).extracting(LiteralRequest::binary).containsExactly(false, true);

        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                "b APPEND x UTF8 (~{2}\r\né)\r\n")));
        reader.enableUtf8();
        assertThat(((ReadResult.TaggedCommand) reader.read(ImapState.AUTHENTICATED, continuation)).command())
                .isEqualTo(new ImapCommand.Append("x", List.of(
                        new AppendMessage(List.of(), Optional.empty(), Octets.utf8("é"), true, true))));
        // without UTF8=ACCEPT the UTF8 form is BAD (RFC 6855 §4) and its literal is not read
        ReadResult.ParseError error = Wire.error(ImapState.AUTHENTICATED, "c APPEND x UTF8 (~{2}\r\n");
        assertThat(error.status()).isEqualTo(ResponseStatus.BAD);
    }

    @Test
    void literal8IsOnlyAllowedForMessageData() {
        assertThat(Wire.error(ImapState.NOT_AUTHENTICATED, "a LOGIN ~{3}\r\nabc x\r\n").tag()).contains("a");
    }

    @Test
    void sortAndThread() { // RFC 5256 §3, RFC 5957, RFC 5267
        assertThat(command(lines("A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994"))).isEqualTo(new ImapCommand.Sort(false,
                List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false)), "UTF-8", Optional.empty(),
                new SearchKey.Date(DateField.INTERNAL, Comparison.SINCE, LocalDate.of(1994, 2, 1))));
        assertThat(parse(lines("A283 UID SORT (SUBJECT REVERSE DATE DISPLAYFROM) UTF-8 ALL"))).isEqualTo(
                new ReadResult.TaggedCommand("A283", ImapCommandSpec.UID_SORT, new ImapCommand.Sort(true, List.of(
                        new SortCriterion(SortCriterion.Key.SUBJECT, false), new SortCriterion(SortCriterion.Key.DATE, true),
                        new SortCriterion(SortCriterion.Key.DISPLAYFROM, false)), "UTF-8", Optional.empty(), new SearchKey.All())));
        assertThat(command(lines("a SORT RETURN (MIN COUNT) (DATE) US-ASCII UNSEEN"))).isEqualTo(new ImapCommand.Sort(false,
                List.of(new SortCriterion(SortCriterion.Key.DATE, false)), "US-ASCII",
                Optional.of(Set.of(SearchReturnOption.MIN, SearchReturnOption.COUNT)), new SearchKey.Flag("\\Seen", false)));
        assertThat(command(lines("A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000"))).isEqualTo(new ImapCommand.ThreadMessages(
                false, "ORDEREDSUBJECT", "UTF-8", new SearchKey.Date(DateField.INTERNAL, Comparison.SINCE, LocalDate.of(2000, 3, 5))));
        assertThat(parse(lines("A284 UID THREAD REFERENCES US-ASCII TEXT \"gewp\"")).spec()).isEqualTo(ImapCommandSpec.UID_THREAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a SORT (SUBJECT) ALL")).status()).isEqualTo(ResponseStatus.NO);
    }

    @Test
    void everyFetchItem() { // RFC 9051 §6.4.5, RFC 3516, RFC 7162, RFC 8474, RFC 8514
        ImapCommand.Fetch fetch = (ImapCommand.Fetch) command(lines("a FETCH 1:*,$x".replace(",$x", "")
                + " (FLAGS UID INTERNALDATE RFC822.SIZE RFC822 RFC822.HEADER RFC822.TEXT ENVELOPE BODY BODYSTRUCTURE"
                + " MODSEQ EMAILID THREADID SAVEDATE BODY[] BODY.PEEK[1.2.3]<0.1024> BODY[1.MIME] BODY[2.TEXT]"
                + " BODY[HEADER.FIELDS.NOT (Received \"X-Spam Flag\")] BODY[3.HEADER] BINARY[1.2] BINARY.PEEK[]<5.10>"
                + " BINARY.SIZE[4])"));
        assertThat(fetch.items()).containsExactly(
                new FetchItem.Flags(), new FetchItem.Uid(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size(),
                new FetchItem.Rfc822(), new FetchItem.Rfc822Header(), new FetchItem.Rfc822Text(), new FetchItem.Envelope(),
                new FetchItem.Body(), new FetchItem.BodyStructure(), new FetchItem.ModSeq(), new FetchItem.EmailId(),
                new FetchItem.ThreadId(), new FetchItem.SaveDate(),
                new FetchItem.BodySection(Section.entire(), Optional.empty(), false),
                new FetchItem.BodySection(new Section(List.of(1, 2, 3), new Section.Specifier.Entire()),
                        Optional.of(new FetchItem.Partial(0, 1024)), true),
                new FetchItem.BodySection(new Section(List.of(1), new Section.Specifier.Mime()), Optional.empty(), false),
                new FetchItem.BodySection(new Section(List.of(2), new Section.Specifier.Text()), Optional.empty(), false),
                new FetchItem.BodySection(new Section(List.of(), new Section.Specifier.HeaderFields(
                        List.of("Received", "X-Spam Flag"), true)), Optional.empty(), false),
                new FetchItem.BodySection(new Section(List.of(3), new Section.Specifier.Header()), Optional.empty(), false),
                new FetchItem.Binary(List.of(1, 2), Optional.empty(), false),
                new FetchItem.Binary(List.of(), Optional.of(new FetchItem.Partial(5, 10)), true),
                new FetchItem.BinarySize(List.of(4)));
        assertThat(fetch.sequenceSet()).isEqualTo(SequenceSet.of(new SequenceSet.Range(1, SequenceSet.STAR)));
        assertThat(fetch.items().get(15).responseName()).isEqualTo("BODY[1.2.3]<0>");
        assertThat(fetch.items().get(18).responseName())
                .isEqualTo("BODY[HEADER.FIELDS.NOT (Received \"X-Spam Flag\")]");
        assertThat(command(lines("a FETCH 1 fast"))).isEqualTo(new ImapCommand.Fetch(false, SequenceSet.single(1),
                FetchItem.FAST, OptionalLong.empty(), false));
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 1 BODY[MIME]")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 1 BODY[1]<5>")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 1 (FLAGS")).status()).isEqualTo(ResponseStatus.BAD);
    }

    @Test
    void condstoreAndQresyncModifiers() { // RFC 7162 §3.1.3, §3.1.4, §3.2.6
        assertThat(command(lines("s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)"))).isEqualTo(new ImapCommand.Fetch(
                true, SequenceSet.of(new SequenceSet.Range(1, SequenceSet.STAR)), List.of(new FetchItem.Flags()),
                OptionalLong.of(12345), true));
        assertThat(command(lines("a103 FETCH 1:* FLAGS (CHANGEDSINCE 12345)"))).isEqualTo(new ImapCommand.Fetch(
                false, SequenceSet.of(new SequenceSet.Range(1, SequenceSet.STAR)), List.of(new FetchItem.Flags()),
                OptionalLong.of(12345), false));
        assertThat(Wire.error(ImapState.SELECTED, lines("a FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)")).status())
                .isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.SELECTED, lines("a UID FETCH 1:* FLAGS (VANISHED)")).status())
                .isEqualTo(ResponseStatus.BAD);
        assertThat(command(lines("d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)")))
                .isEqualTo(new ImapCommand.Store(false, SequenceSet.of(SequenceSet.Range.of(7), SequenceSet.Range.of(5),
                        SequenceSet.Range.of(9)), OptionalLong.of(320162338), ImapCommand.Store.Action.ADD, true,
                        List.of("\\Deleted")));
        assertThat(command(lines("a STORE 1 -FLAGS ()"))).isEqualTo(new ImapCommand.Store(false, SequenceSet.single(1),
                OptionalLong.empty(), ImapCommand.Store.Action.REMOVE, false, List.of()));
    }

    @Test
    void searchKeysOfExtensions() {
        ImapCommand.Search search = (ImapCommand.Search) command(lines(
                "a UID SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338 OLDER 3600 YOUNGER 60 SAVEDBEFORE \"1-Jan-2020\""
                        + " SAVEDON 2-Feb-2021 SAVEDSINCE 3-Mar-2022 SAVEDATESUPPORTED EMAILID M6d99ac3275bb4e THREADID T64b478a75b7ea9"
                        + " MODSEQ 5 HEADER X-Foo \"\" LARGER 100 UID 1:5 KEYWORD $Forwarded UNKEYWORD x NEW OLD RECENT"
                        + " SENTBEFORE 1-Jan-2000 SENTON 2-Jan-2000 SENTSINCE 3-Jan-2000 BEFORE 4-Jan-2000 ON 5-Jan-2000"
                        + " BODY b TEXT t TO to CC cc BCC bcc SUBJECT s ANSWERED UNANSWERED DRAFT UNDRAFT UNDELETED UNFLAGGED SEEN"));
        assertThat(((SearchKey.And) search.key()).keys()).containsExactly(
                new SearchKey.ModSeq(620162338, Optional.of(new SearchKey.ModSeqEntry("\\draft", SearchKey.EntryType.ALL))),
                new SearchKey.Older(3600), new SearchKey.Younger(60),
                new SearchKey.Date(DateField.SAVED, Comparison.BEFORE, LocalDate.of(2020, 1, 1)),
                new SearchKey.Date(DateField.SAVED, Comparison.ON, LocalDate.of(2021, 2, 2)),
                new SearchKey.Date(DateField.SAVED, Comparison.SINCE, LocalDate.of(2022, 3, 3)),
                new SearchKey.SaveDateSupported(),
                new SearchKey.EmailId("M6d99ac3275bb4e"), new SearchKey.ThreadId("T64b478a75b7ea9"),
                new SearchKey.ModSeq(5, Optional.empty()), new SearchKey.Header("X-Foo", ""), new SearchKey.Larger(100),
                new SearchKey.Uids(SequenceSet.of(new SequenceSet.Range(1, 5))), new SearchKey.Flag("$Forwarded", true),
                new SearchKey.Flag("x", false), new SearchKey.New(), new SearchKey.Old(), new SearchKey.Recent(),
                new SearchKey.Date(DateField.SENT, Comparison.BEFORE, LocalDate.of(2000, 1, 1)),
                new SearchKey.Date(DateField.SENT, Comparison.ON, LocalDate.of(2000, 1, 2)),
                new SearchKey.Date(DateField.SENT, Comparison.SINCE, LocalDate.of(2000, 1, 3)),
                new SearchKey.Date(DateField.INTERNAL, Comparison.BEFORE, LocalDate.of(2000, 1, 4)),
                new SearchKey.Date(DateField.INTERNAL, Comparison.ON, LocalDate.of(2000, 1, 5)),
                new SearchKey.Body("b"), new SearchKey.Text("t"), new SearchKey.Header("To", "to"),
                new SearchKey.Header("Cc", "cc"), new SearchKey.Header("Bcc", "bcc"), new SearchKey.Header("Subject", "s"),
                new SearchKey.Flag("\\Answered", true), new SearchKey.Flag("\\Answered", false),
                new SearchKey.Flag("\\Draft", true), new SearchKey.Flag("\\Draft", false),
                new SearchKey.Flag("\\Deleted", false), new SearchKey.Flag("\\Flagged", false),
                new SearchKey.Flag("\\Seen", true));
    }

    @Test
    void nestedSearchKeys() {
        assertThat(((ImapCommand.Search) command(lines("a SEARCH OR (FROM a NOT (TO b SUBJECT c)) OR 1:3 *"))).key())
                .isEqualTo(new SearchKey.Or(
                        new SearchKey.And(List.of(new SearchKey.Header("From", "a"), new SearchKey.Not(new SearchKey.And(List.of(
                                new SearchKey.Header("To", "b"), new SearchKey.Header("Subject", "c")))))),
                        new SearchKey.Or(new SearchKey.SequenceNumbers(SequenceSet.of(new SequenceSet.Range(1, 3))),
                                new SearchKey.SequenceNumbers(SequenceSet.of(SequenceSet.Range.of(SequenceSet.STAR))))));
        assertThat(Wire.error(ImapState.SELECTED, lines("a SEARCH FOO")).message()).isEqualTo("Unknown search key");
        assertThat(Wire.error(ImapState.SELECTED, lines("a SEARCH SINCE 30-Feb-2020")).message()).isEqualTo("Invalid date");
    }

    @Test
    void idQuotaCompress() { // RFC 2971, RFC 9208, RFC 4978
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" NIL)")).command())
                .isEqualTo(new ImapCommand.Id(List.of(new ImapCommand.Id.Field("name", Optional.of("sodr")),
                        new ImapCommand.Id.Field("version", Optional.of("19.34")),
                        new ImapCommand.Id.Field("vendor", Optional.empty()))));
        assertThat(parse(ImapState.NOT_AUTHENTICATED, lines("a ID NIL")).command()).isEqualTo(new ImapCommand.Id(List.of()));
        assertThat(command(lines("G0001 GETQUOTA \"!partition/sda4\""))).isEqualTo(new ImapCommand.GetQuota("!partition/sda4"));
        assertThat(command(lines("A003 GETQUOTAROOT INBOX"))).isEqualTo(new ImapCommand.GetQuotaRoot("INBOX"));
        assertThat(command(lines("S0000 SETQUOTA \"#user/alice\" (STORAGE 510 message 100)"))).isEqualTo(
                new ImapCommand.SetQuota("#user/alice", List.of(new ImapCommand.SetQuota.Limit("STORAGE", 510),
                        new ImapCommand.SetQuota.Limit("MESSAGE", 100))));
        assertThat(command(lines("S0001 SETQUOTA \"\" ()"))).isEqualTo(new ImapCommand.SetQuota("", List.of()));
        assertThat(parse(ImapState.AUTHENTICATED, lines("a COMPRESS deflate")).command())
                .isEqualTo(new ImapCommand.Compress("DEFLATE"));
    }

    @Test
    void mailboxNamesAreDecoded() { // RFC 3501 §5.1.3, RFC 6855 §3, RFC 9051 §5.1
        assertThat(command(lines("a SELECT \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")))
                .isEqualTo(new ImapCommand.Select("~peter/mail/台北/日本語", SelectParameters.none()));
        assertThat(command(lines("a COPY 1 Tom&-Jerry"))).isEqualTo(new ImapCommand.Copy(false, SequenceSet.single(1), "Tom&Jerry"));
        assertThat(command(lines("a SELECT iNbOx"))).isEqualTo(new ImapCommand.Select("INBOX", SelectParameters.none()));
        assertThat(command(lines("a RENAME \"InBox\" {5}", "inbox"))).isEqualTo(new ImapCommand.Rename("INBOX", "INBOX"));
        assertThat(Wire.error(ImapState.SELECTED, lines("a SELECT Tom&Jerry")).status()).isEqualTo(ResponseStatus.NO);
        assertThat(Wire.error(ImapState.SELECTED, lines("a SELECT {2}", "é")).status()).isEqualTo(ResponseStatus.NO);

        ImapCommandReader reader = new ImapCommandReader(new ByteArrayInputStream(utf8(
                lines("a SELECT \"台北/Tom&Jerry\"", "b SELECT {2}", "é"))));
        reader.enableUtf8();
        Wire.RecordingContinuation continuation = new Wire.RecordingContinuation();
        assertThat(((ReadResult.TaggedCommand) reader.read(ImapState.AUTHENTICATED, continuation)).command())
                .isEqualTo(new ImapCommand.Select("台北/Tom&Jerry", SelectParameters.none()));
        assertThat(((ReadResult.TaggedCommand) reader.read(ImapState.AUTHENTICATED, continuation)).command())
                .isEqualTo(new ImapCommand.Select("é", SelectParameters.none()));
    }

    @Test
    void commandsOutsideTheirStateAreRefusedBeforeLiterals() {
        ReadResult.ParseError error = Wire.error(ImapState.NOT_AUTHENTICATED, "a APPEND INBOX {10}\r\n");
        assertThat(error).isEqualTo(new ReadResult.ParseError(Optional.of("a"), ResponseStatus.BAD, Optional.empty(),
                "APPEND is not allowed in the not authenticated state", false));
        assertThat(Wire.error(ImapState.SELECTED, lines("a LOGIN x y")).status()).isEqualTo(ResponseStatus.BAD);
        assertThat(Wire.error(ImapState.AUTHENTICATED, lines("a FETCH 1 FLAGS")).message()).contains("FETCH is not allowed");
        assertThat(Wire.error(ImapState.LOGOUT, lines("a NOOP")).tag()).contains("a");
        assertThat(Wire.error(ImapState.SELECTED, lines("a UID FROB 1")).message()).isEqualTo("Unknown command");
    }
}
