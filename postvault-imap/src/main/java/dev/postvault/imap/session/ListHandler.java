package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ListReturnOption;
import dev.postvault.imap.codec.ListSelectOption;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.FolderNames;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.SpecialUse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS
 * (RFC 5819), CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154).
 */
final class ListHandler {
    static final char DELIMITER = FolderNames.DELIMITER;

    private ListHandler() {}

    static Next list(Exchange x, ImapCommand.ListMailboxes c) {
        list(x.out(), x.tag(), c, x.mailbox(), x.session().appendLimitBytes());
        return Next.CONTINUE;
    }

    static Next lsub(Exchange x, ImapCommand.Lsub c) {
        lsub(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static void list(ImapResponseWriter w, String tag, ImapCommand.ListMailboxes cmd, Mailbox mailbox, long appendLimitBytes) {
        // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter and root.
        if (!cmd.extended() && cmd.patterns().size() == 1 && cmd.patterns().getFirst().isEmpty()) {
            w.beginUntagged().atom("LIST").beginList().flag("\\Noselect").endList().quoted(String.valueOf(DELIMITER)).quoted("").endLine();
            w.ok(tag, "LIST completed");
            return;
        }
        boolean selSubscribed = cmd.selectOptions().contains(ListSelectOption.SUBSCRIBED);
        boolean recursive = cmd.selectOptions().contains(ListSelectOption.RECURSIVEMATCH);
        boolean selSpecialUse = cmd.selectOptions().contains(ListSelectOption.SPECIAL_USE);
        boolean retSubscribed = selSubscribed || cmd.returnOptions().contains(ListReturnOption.SUBSCRIBED);
        boolean retStatus = cmd.returnOptions().contains(ListReturnOption.STATUS);

        List<Folder> folders = mailbox.folders();
        Map<String, Folder> byName = new HashMap<>();
        for (Folder f : folders) byName.put(f.name(), f);
        Set<String> subscribed = new TreeSet<>(mailbox.subscriptions());

        // RFC 5258 §3: the candidates are all folders, or with (SUBSCRIBED) the subscribed names.
        Set<String> names = new TreeSet<>(selSubscribed ? subscribed : byName.keySet());
        Map<String, Boolean> childInfo = new HashMap<>();
        if (recursive) {
            // RFC 5258 §3.5: a matching name whose subscribed descendant does not match is listed
            // with CHILDINFO ("SUBSCRIBED").
            for (String sub : subscribed) {
                if (matchesAny(cmd.reference(), cmd.patterns(), sub)) continue;
                for (String a : FolderNames.ancestors(sub)) {
                    if (matchesAny(cmd.reference(), cmd.patterns(), a)) childInfo.put(a, true);
                }
            }
            names.addAll(childInfo.keySet());
        }
        for (String name : names) {
            if (!matchesAny(cmd.reference(), cmd.patterns(), name)) continue;
            Folder f = byName.get(name);
            if (selSpecialUse && (f == null || f.specialUse().isEmpty())) continue;
            List<String> attrs = new ArrayList<>();
            if (f == null) {
                attrs.add("\\NonExistent"); // RFC 5258 §3: implies \Noselect
            } else {
                if (f.noselect()) attrs.add("\\Noselect");
                attrs.add(folders.stream().anyMatch(o -> o.name().startsWith(name + DELIMITER)) ? "\\HasChildren" : "\\HasNoChildren");
                f.specialUse().map(ListHandler::attribute).ifPresent(attrs::add);
            }
            if (retSubscribed && subscribed.contains(name)) attrs.add("\\Subscribed");
            w.beginUntagged().atom("LIST").beginList();
            attrs.forEach(w::flag);
            w.endList().quoted(String.valueOf(DELIMITER)).mailbox(name);
            if (childInfo.containsKey(name) && cmd.extended()) {
                w.beginList().quoted("CHILDINFO").beginList().quoted("SUBSCRIBED").endList().endList();
            }
            w.endLine();
            // RFC 5819 §2: LIST-STATUS gives a STATUS line after each selectable mailbox.
            if (retStatus && f != null && !f.noselect()) {
                MailboxHandler.writeStatus(w, mailbox.status(name), cmd.statusItems(), appendLimitBytes);
            }
        }
        w.ok(tag, "LIST completed");
    }

    /**
     * RFC 3501 §6.3.9: subscribed names, whether or not the folder exists (\\Noselect if not). When
     * "%" stops above a subscribed name, its unsubscribed ancestor is listed with \\Noselect.
     */
    static void lsub(ImapResponseWriter w, String tag, ImapCommand.Lsub cmd, Mailbox mailbox) {
        List<Folder> folders = mailbox.folders();
        List<String> subscribed = mailbox.subscriptions();
        java.util.Set<String> names = new java.util.TreeSet<>(subscribed);
        for (String name : subscribed) {
            if (matchesAny(cmd.reference(), List.of(cmd.pattern()), name)) continue; // listed as itself
            for (String ancestor : FolderNames.ancestors(name)) {
                if (matchesAny(cmd.reference(), List.of(cmd.pattern()), ancestor)) names.add(ancestor);
            }
        }
        for (String name : names) {
            if (!matchesAny(cmd.reference(), List.of(cmd.pattern()), name)) continue;
            var f = folders.stream().filter(x -> x.name().equals(name)).findFirst();
            if (subscribed.contains(name) && f.isPresent()) {
                writeEntry(w, "LSUB", f.get(), folders);
            } else {
                w.beginUntagged().atom("LSUB").beginList().flag("\\Noselect").endList().quoted(String.valueOf(DELIMITER)).mailbox(name).endLine();
            }
        }
        w.ok(tag, "LSUB completed");
    }

    private static void writeEntry(ImapResponseWriter w, String kind, Folder f, List<Folder> all) {
        List<String> attrs = new ArrayList<>();
        boolean children = all.stream().anyMatch(o -> o.name().startsWith(f.name() + DELIMITER));
        if (f.noselect()) attrs.add("\\Noselect");
        attrs.add(children ? "\\HasChildren" : "\\HasNoChildren");
        f.specialUse().map(ListHandler::attribute).ifPresent(attrs::add);
        w.beginUntagged().atom(kind).beginList();
        attrs.forEach(w::flag);
        w.endList().quoted(String.valueOf(DELIMITER)).mailbox(f.name()).endLine();
    }

    static String attribute(SpecialUse u) {
        return switch (u) {
            case DRAFTS -> "\\Drafts";
            case SENT -> "\\Sent";
            case ARCHIVE -> "\\Archive";
            case JUNK -> "\\Junk";
            case TRASH -> "\\Trash";
            case ALL -> "\\All";
            case FLAGGED -> "\\Flagged";
        };
    }

    private static boolean matchesAny(String reference, List<String> patterns, String name) {
        for (String p : patterns) {
            if (matches(reference + p, name)) return true;
        }
        return false;
    }

    /**
     * RFC 9051 §6.3.9: "*" matches anything, "%" anything but the delimiter. INBOX matches
     * case-insensitively (RFC 9051 §5.1).
     */
    static boolean matches(String pattern, String name) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^").append(Pattern.quote(String.valueOf(DELIMITER))).append("]*");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (name.equals(Folder.INBOX)) {
            return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(name).matches();
        }
        return Pattern.compile(re.toString()).matcher(name).matches();
    }
}
