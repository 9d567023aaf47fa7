package dev.postvault.imap.codec;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parsers of the mailbox commands: SELECT, EXAMINE, CREATE, RENAME, STATUS, APPEND. */
final class MailboxParsers {

    // RFC 6154 §6 use-attr = "\All" / "\Archive" / "\Drafts" / "\Flagged" / "\Junk" / "\Sent" / "\Trash" / use-attr-ext
    private static final Map<String, String> USE_ATTRIBUTES = Map.of(
            "\\all", "\\All", "\\archive", "\\Archive", "\\drafts", "\\Drafts", "\\flagged", "\\Flagged",
            "\\junk", "\\Junk", "\\sent", "\\Sent", "\\trash", "\\Trash");

    private MailboxParsers() {
    }

    // RFC 4466 §2.1 select = "SELECT" SP mailbox [select-params]; examine likewise
    static ImapCommand select(CommandCursor c, boolean readOnly) {
        String mailbox = CommandParsers.mailboxArgument(c);
        SelectParameters parameters = SelectParameters.none();
        if (!c.atEnd()) {
            c.sp();
            parameters = selectParameters(c);
        }
        return readOnly ? new ImapCommand.Examine(mailbox, parameters) : new ImapCommand.Select(mailbox, parameters);
    }

    // RFC 4466 §2.1 select-params = SP "(" select-param *(SP select-param) ")"
    private static SelectParameters selectParameters(CommandCursor c) {
        c.expect('(');
        boolean condStore = false;
        Optional<SelectParameters.QResync> qresync = Optional.empty();
        int count = 0;
        do {
            c.checkItems(count++);
            String name = c.keyword();
            switch (name) {
                case "CONDSTORE" -> { // RFC 7162 §7 condstore-param = "CONDSTORE"
                    if (condStore) {
                        throw ParseException.bad("CONDSTORE given twice");
                    }
                    condStore = true;
                }
                case "QRESYNC" -> {
                    if (qresync.isPresent()) {
                        throw ParseException.bad("QRESYNC given twice");
                    }
                    c.sp();
                    qresync = Optional.of(qresync(c));
                }
                default -> throw ParseException.bad("Unknown SELECT parameter");
            }
        } while (c.tryConsume(' '));
        c.expect(')');
        return new SelectParameters(condStore, qresync);
    }

    // RFC 7162 §7 select-param =/ "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids]
    //                              [SP seq-match-data] ")"
    private static SelectParameters.QResync qresync(CommandCursor c) {
        c.expect('(');
        long uidValidity = c.nzNumber(); // uidvalidity = nz-number
        c.sp();
        long modSeq = c.nzNumber64(); // mod-sequence-value = 1*DIGIT, 1 <= n
        Optional<SequenceSet> knownUids = Optional.empty();
        Optional<SelectParameters.SequenceMatch> match = Optional.empty();
        if (c.tryConsume(' ')) {
            if (c.peek() != '(') {
                knownUids = Optional.of(knownSet(c)); // known-uids = sequence-set
                if (c.tryConsume(' ')) {
                    match = Optional.of(sequenceMatch(c));
                }
            } else {
                match = Optional.of(sequenceMatch(c));
            }
        }
        c.expect(')');
        return new SelectParameters.QResync(uidValidity, modSeq, knownUids, match);
    }

    // RFC 7162 §7 seq-match-data = "(" known-sequence-set SP known-uid-set ")"
    private static SelectParameters.SequenceMatch sequenceMatch(CommandCursor c) {
        c.expect('(');
        SequenceSet numbers = knownSet(c);
        c.sp();
        SequenceSet uids = knownSet(c);
        c.expect(')');
        return new SelectParameters.SequenceMatch(numbers, uids);
    }

    // RFC 7162 §7 known-uids = sequence-set ; "*" is not allowed
    private static SequenceSet knownSet(CommandCursor c) {
        SequenceSet set = SharedRules.sequenceSet(c);
        if (set.savedResult() || set.usesStar()) {
            throw ParseException.bad("\"*\" and \"$\" are not allowed in QRESYNC sets");
        }
        return set;
    }

    // RFC 4466 §2.2 create = "CREATE" SP mailbox [create-params];
    // create-params = SP "(" create-param *(SP create-param) ")"
    static ImapCommand create(CommandCursor c) {
        String mailbox = CommandParsers.mailboxArgument(c);
        List<String> uses = new ArrayList<>();
        if (!c.atEnd()) {
            c.sp();
            c.expect('(');
            boolean seenUse = false;
            do {
                String name = c.keyword();
                if (!name.equals("USE") || seenUse) {
                    throw ParseException.bad("Unknown or repeated CREATE parameter");
                }
                seenUse = true;
                // RFC 6154 §6 create-param =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"
                c.sp();
                c.expect('(');
                if (!c.tryConsume(')')) {
                    do {
                        c.checkItems(uses.size());
                        c.expect('\\'); // use-attr-ext = "\" atom
                        String attribute = "\\" + c.atom();
                        uses.add(USE_ATTRIBUTES.getOrDefault(attribute.toLowerCase(Locale.ROOT), attribute));
                    } while (c.tryConsume(' '));
                    c.expect(')');
                }
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        return new ImapCommand.Create(mailbox, uses);
    }

    // RFC 9051 §9 rename = "RENAME" SP mailbox SP mailbox
    static ImapCommand rename(CommandCursor c) {
        String from = CommandParsers.mailboxArgument(c);
        String to = CommandParsers.mailboxArgument(c);
        return new ImapCommand.Rename(from, to);
    }

    // RFC 9051 §9 status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
    static ImapCommand status(CommandCursor c) {
        String mailbox = CommandParsers.mailboxArgument(c);
        c.sp();
        return new ImapCommand.Status(mailbox, statusItems(c));
    }

    /** "(" status-att *(SP status-att) ")", shared with LIST RETURN (STATUS (...)) (RFC 5819). */
    static List<StatusItem> statusItems(CommandCursor c) {
        c.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            c.checkItems(items.size());
            String name = c.atom();
            // RFC 9051 §9 status-att; RFC 7162, RFC 7889, RFC 8474, RFC 9208 extensions
            items.add(StatusItem.fromWire(name).orElseThrow(() -> ParseException.bad("Unknown STATUS item")));
        } while (c.tryConsume(' '));
        c.expect(')');
        return items;
    }

    // RFC 3502 §6 append = "APPEND" SP mailbox 1*append-message;
    // RFC 4466 §2.3 append-message = append-opts SP append-data
    static ImapCommand append(CommandCursor c) {
        String mailbox = CommandParsers.mailboxArgument(c);
        List<AppendMessage> messages = new ArrayList<>();
        do {
            if (messages.size() >= c.limits().maxAppendMessages()) {
                throw ParseException.bad("Too many messages in one APPEND (limit "
                        + c.limits().maxAppendMessages() + ")");
            }
            c.sp();
            messages.add(appendMessage(c));
        } while (!c.atEnd());
        return new ImapCommand.Append(mailbox, messages);
    }

    // RFC 4466 §2.3 append-opts = [SP flag-list] [SP date-time] *(SP append-ext)
    private static AppendMessage appendMessage(CommandCursor c) {
        List<String> flags = List.of();
        Optional<OffsetDateTime> date = Optional.empty();
        if (c.peek() == '(') {
            flags = SharedRules.flagList(c);
            c.sp();
        }
        if (c.peek() == '"') {
            date = Optional.of(SharedRules.dateTime(c));
            c.sp();
        }
        // RFC 4466 §2.3 append-data = literal / literal8 / append-data-ext (RFC 3516 §4.4)
        if (c.peek() == '{') {
            return new AppendMessage(flags, date, c.literal(false, true), false, false);
        }
        if (c.peek() == '~') {
            return new AppendMessage(flags, date, c.literal(true, true), true, false);
        }
        if (c.tryKeyword("UTF8")) {
            // RFC 6855 §4 utf8-literal = "UTF8" SP "(" literal8 ")"; BAD unless UTF8=ACCEPT is enabled
            if (!c.utf8()) {
                throw ParseException.bad("UTF8 APPEND data needs ENABLE UTF8=ACCEPT");
            }
            c.sp();
            c.expect('(');
            Octets content = c.literal(true, true);
            c.expect(')');
            return new AppendMessage(flags, date, content, true, true);
        }
        throw ParseException.bad("Expected the message literal");
    }
}
