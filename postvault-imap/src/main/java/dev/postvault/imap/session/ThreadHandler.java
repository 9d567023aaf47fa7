package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.mime.SortKeys;
import dev.postvault.mime.ThreadKeys;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 §3, "ORDEREDSUBJECT"): messages grouped by base subject; in each
 * group the earliest message is the parent of all others; groups ordered by their first message's
 * sent date; and THREAD=REFERENCES ({@link ReferencesThreader}).
 */
final class ThreadHandler {
    private ThreadHandler() {}

    static Next thread(Exchange x, ImapCommand.ThreadMessages c) {
        if (x.enabled().rev2 && SearchHandler.usesRecent(c.key())) return SearchHandler.rev1Only(x);
        thread(x.out(), x.tag(), c, x.mailbox(), x.selected(), x.config().regexBudget());
        return Next.CONTINUE;
    }

    private record Msg(long number, String subject, Instant sent, int msn) {}

    static void thread(ImapResponseWriter w, String tag, ImapCommand.ThreadMessages t, Mailbox mailbox, SelectedFolder sel, java.time.Duration regexBudget) {
        if (t.algorithm().equalsIgnoreCase("REFERENCES")) {
            references(w, tag, t, mailbox, sel, regexBudget);
            return;
        }
        if (!t.algorithm().equalsIgnoreCase("ORDEREDSUBJECT")) {
            w.bad(tag, "Unsupported threading algorithm");
            return;
        }
        List<Msg> msgs = new ArrayList<>();
        try (MailboxReader reader = mailbox.reader()) {
            List<SelectedFolder.Numbered> hits = SearchHandler.matching(t.key(), mailbox, reader, sel, regexBudget);
            java.util.Map<Long, SortKeys> stored = reader.sortKeys(sel.folder.id(), SUBJECT_AND_DATE, SearchHandler.contentIds(hits, SelectedFolder.Numbered::meta));
            for (SelectedFolder.Numbered n : hits) {
                // A message expunged before the reader's snapshot has no keys left (RFC 9051 §7.5.1).
                SortKeys k = stored.getOrDefault(n.meta().contentId(), SortHandler.NO_KEYS);
                msgs.add(new Msg(t.uid() ? n.meta().uid() : n.msn(), k.subject(), k.sentAt().orElse(n.meta().internalDate()), n.msn()));
            }
        }
        // RFC 5256: sort by base subject, then sent date (sequence number breaks ties).
        msgs.sort(Comparator.comparing(Msg::subject).thenComparing(Msg::sent).thenComparingInt(Msg::msn));
        List<List<Msg>> threads = new ArrayList<>();
        for (Msg m : msgs) {
            if (threads.isEmpty() || !threads.getLast().getFirst().subject().equals(m.subject())) threads.add(new ArrayList<>());
            threads.getLast().add(m);
        }
        threads.sort(Comparator.comparing((List<Msg> th) -> th.getFirst().sent()).thenComparingInt(th -> th.getFirst().msn()));
        StringBuilder out = new StringBuilder();
        for (List<Msg> th : threads) {
            out.append('(').append(th.getFirst().number());
            if (th.size() == 2) {
                out.append(' ').append(th.get(1).number()); // a single child continues the chain
            } else if (th.size() > 2) {
                out.append(' ');
                for (int i = 1; i < th.size(); i++) out.append('(').append(th.get(i).number()).append(')');
            }
            out.append(')');
        }
        w.beginUntagged().atom("THREAD");
        if (!out.isEmpty()) w.raw(out.toString());
        w.endLine();
        w.ok(tag, (t.uid() ? "UID THREAD" : "THREAD") + " completed");
    }

    private static void references(ImapResponseWriter w, String tag, ImapCommand.ThreadMessages t, Mailbox mailbox, SelectedFolder sel, java.time.Duration regexBudget) {
        List<ReferencesThreader.Msg> msgs = new ArrayList<>();
        try (MailboxReader reader = mailbox.reader()) {
            List<SelectedFolder.Numbered> hits = SearchHandler.matching(t.key(), mailbox, reader, sel, regexBudget);
            java.util.Map<Long, SortKeys> sortKeys = reader.sortKeys(sel.folder.id(), SUBJECT_AND_DATE, SearchHandler.contentIds(hits, SelectedFolder.Numbered::meta));
            java.util.Map<Long, ThreadKeys> threadKeys = reader.threadKeys(sel.folder.id(), SearchHandler.contentIds(hits, SelectedFolder.Numbered::meta));
            for (SelectedFolder.Numbered n : hits) {
                // A message expunged before the reader's snapshot threads as one without headers (RFC 9051 §7.5.1).
                SortKeys s = sortKeys.getOrDefault(n.meta().contentId(), SortHandler.NO_KEYS);
                ThreadKeys k = threadKeys.getOrDefault(n.meta().contentId(), NO_THREAD_KEYS);
                msgs.add(new ReferencesThreader.Msg(t.uid() ? n.meta().uid() : n.msn(), n.msn(), k.messageId(), k.references(), s.subject(),
                        k.reply(), s.sentAt().orElse(n.meta().internalDate())));
            }
        }
        String out = ReferencesThreader.render(ReferencesThreader.thread(msgs));
        w.beginUntagged().atom("THREAD");
        if (!out.isEmpty()) w.raw(out);
        w.endLine();
        w.ok(tag, (t.uid() ? "UID THREAD" : "THREAD") + " completed");
    }

    /** What both algorithms read of the sort keys: the base subject and the sent date. */
    private static final java.util.Set<SortKeys.Field> SUBJECT_AND_DATE = java.util.EnumSet.of(SortKeys.Field.SUBJECT, SortKeys.Field.SENT);

    private static final ThreadKeys NO_THREAD_KEYS = new ThreadKeys("", List.of(), false);
}
