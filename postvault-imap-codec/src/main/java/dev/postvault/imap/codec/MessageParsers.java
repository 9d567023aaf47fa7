package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Parsers of STORE, COPY, MOVE and UID EXPUNGE and their UID forms (RFC 9051 §6.4). */
final class MessageParsers {

    private MessageParsers() {
    }

    // RFC 9051 §9 store = "STORE" SP sequence-set SP store-att-flags; RFC 4466 §2.5 adds [store-modifiers]
    static ImapCommand store(CommandCursor c, boolean uid) {
        c.sp();
        SequenceSet set = SharedRules.sequenceSet(c);
        c.sp();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (c.tryConsume('(')) {
            // RFC 4466 §2.5 store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"
            do {
                if (!c.keyword().equals("UNCHANGEDSINCE") || unchangedSince.isPresent()) {
                    throw ParseException.bad("Unknown or repeated STORE modifier");
                }
                c.sp();
                unchangedSince = OptionalLong.of(c.number64()); // RFC 7162 §7 mod-sequence-valzer
            } while (c.tryConsume(' '));
            c.expect(')');
            c.sp();
        }
        // RFC 9051 §9 store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
        String item = c.keyword();
        ImapCommand.Store.Action action = switch (item.charAt(0)) {
            case '+' -> ImapCommand.Store.Action.ADD;
            case '-' -> ImapCommand.Store.Action.REMOVE;
            default -> ImapCommand.Store.Action.REPLACE;
        };
        String rest = action == ImapCommand.Store.Action.REPLACE ? item : item.substring(1);
        boolean silent = rest.equals("FLAGS.SILENT");
        if (!silent && !rest.equals("FLAGS")) {
            throw ParseException.bad("Expected FLAGS, +FLAGS or -FLAGS");
        }
        c.sp();
        List<String> flags;
        if (c.peek() == '(') {
            flags = SharedRules.flagList(c);
        } else {
            flags = new ArrayList<>();
            do {
                c.checkItems(flags.size());
                flags.add(SharedRules.flag(c));
            } while (c.tryConsume(' '));
        }
        return new ImapCommand.Store(uid, set, unchangedSince, action, silent, flags);
    }

    // RFC 9051 §9 copy = "COPY" SP sequence-set SP mailbox
    static ImapCommand copy(CommandCursor c, boolean uid) {
        c.sp();
        SequenceSet set = SharedRules.sequenceSet(c);
        return new ImapCommand.Copy(uid, set, CommandParsers.mailboxArgument(c));
    }

    // RFC 6851 §4.4 move = "MOVE" SP sequence-set SP mailbox
    static ImapCommand move(CommandCursor c, boolean uid) {
        c.sp();
        SequenceSet set = SharedRules.sequenceSet(c);
        return new ImapCommand.Move(uid, set, CommandParsers.mailboxArgument(c));
    }

    // RFC 9051 §9 uid-expunge = "EXPUNGE" SP sequence-set
    static ImapCommand uidExpunge(CommandCursor c) {
        c.sp();
        return new ImapCommand.UidExpunge(SharedRules.sequenceSet(c));
    }
}
