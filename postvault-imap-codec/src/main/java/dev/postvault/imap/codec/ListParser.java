package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Parsers of LIST (RFC 9051 §6.3.9 with RFC 5258, RFC 5819, RFC 6154) and LSUB (RFC 3501 §6.3.9). */
final class ListParser {

    private ListParser() {
    }

    // RFC 5258 §6 list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
    static ImapCommand list(CommandCursor c) {
        c.sp();
        boolean extended = false;
        Set<ListSelectOption> selectOptions = EnumSet.noneOf(ListSelectOption.class);
        if (c.peek() == '(') {
            extended = true;
            selectOptions = selectOptions(c);
            c.sp();
        }
        String reference = SharedRules.mailbox(c);
        c.sp();
        List<String> patterns = new ArrayList<>();
        if (c.tryConsume('(')) {
            // RFC 5258 §6 patterns = "(" list-mailbox *(SP list-mailbox) ")"
            extended = true;
            do {
                c.checkItems(patterns.size());
                patterns.add(SharedRules.decodePattern(c, c.listMailbox()));
            } while (c.tryConsume(' '));
            c.expect(')');
        } else {
            patterns.add(SharedRules.decodePattern(c, c.listMailbox()));
        }
        Set<ListReturnOption> returnOptions = EnumSet.noneOf(ListReturnOption.class);
        List<StatusItem> statusItems = List.of();
        if (!c.atEnd()) {
            // RFC 5258 §6 list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
            c.sp();
            if (!c.tryKeyword("RETURN")) {
                throw ParseException.bad("Expected RETURN");
            }
            extended = true;
            c.sp();
            c.expect('(');
            if (!c.tryConsume(')')) {
                int count = 0;
                do {
                    c.checkItems(count++);
                    ListReturnOption option = returnOption(c.keyword());
                    if (option == ListReturnOption.STATUS) {
                        // RFC 5819 §6 status-option = "STATUS" SP "(" status-att *(SP status-att) ")"
                        c.sp();
                        statusItems = MailboxParsers.statusItems(c);
                    }
                    if (!returnOptions.add(option)) {
                        throw ParseException.bad("LIST return option given twice");
                    }
                } while (c.tryConsume(' '));
                c.expect(')');
            }
        }
        return new ImapCommand.ListMailboxes(reference, patterns, selectOptions, returnOptions, statusItems, extended);
    }

    // RFC 5258 §6 list-select-opts = "(" [(*(list-select-opt SP) list-select-base-opt
    //     *(SP list-select-opt)) / (list-select-independent-opt *(SP list-select-independent-opt))] ")"
    private static Set<ListSelectOption> selectOptions(CommandCursor c) {
        c.expect('(');
        Set<ListSelectOption> options = EnumSet.noneOf(ListSelectOption.class);
        if (!c.tryConsume(')')) {
            int count = 0;
            do {
                c.checkItems(count++);
                options.add(switch (c.keyword()) {
                    case "SUBSCRIBED" -> ListSelectOption.SUBSCRIBED; // list-select-base-opt
                    case "REMOTE" -> ListSelectOption.REMOTE; // list-select-independent-opt
                    case "RECURSIVEMATCH" -> ListSelectOption.RECURSIVEMATCH; // list-select-mod-opt
                    case "SPECIAL-USE" -> ListSelectOption.SPECIAL_USE; // RFC 6154 §6 independent opt
                    default -> throw ParseException.bad("Unknown LIST selection option");
                });
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        // RFC 5258 §3.1: RECURSIVEMATCH needs a base option (SUBSCRIBED)
        if (options.contains(ListSelectOption.RECURSIVEMATCH) && !options.contains(ListSelectOption.SUBSCRIBED)) {
            throw ParseException.bad("RECURSIVEMATCH needs SUBSCRIBED");
        }
        return options;
    }

    // RFC 5258 §6 return-option = "SUBSCRIBED" / "CHILDREN" / status-option / option-extension;
    // RFC 6154 §6 return-option =/ "SPECIAL-USE"
    private static ListReturnOption returnOption(String name) {
        return switch (name) {
            case "SUBSCRIBED" -> ListReturnOption.SUBSCRIBED;
            case "CHILDREN" -> ListReturnOption.CHILDREN;
            case "SPECIAL-USE" -> ListReturnOption.SPECIAL_USE;
            case "STATUS" -> ListReturnOption.STATUS;
            default -> throw ParseException.bad("Unknown LIST return option");
        };
    }

    // RFC 3501 §9 lsub = "LSUB" SP mailbox SP list-mailbox
    static ImapCommand lsub(CommandCursor c) {
        String reference = CommandParsers.mailboxArgument(c);
        c.sp();
        return new ImapCommand.Lsub(reference, SharedRules.decodeMailbox(c, c.listMailbox()));
    }
}
