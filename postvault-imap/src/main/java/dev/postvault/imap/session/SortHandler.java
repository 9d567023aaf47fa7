package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.SortCriterion;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.SortKeys;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SORT and UID SORT (RFC 5256 §3) with SORT=DISPLAY (RFC 5957). Strings compare with
 * i;ascii-casemap; ties fall back to the sequence number (RFC 5256 §3: "the final key").
 */
final class SortHandler {
    private SortHandler() {}

    static Next sort(Exchange x, ImapCommand.Sort c) {
        if (c.returnOptions().isPresent()) return x.bad("SORT RETURN (ESORT) is not supported by this server yet");
        if (x.enabled().rev2 && SearchHandler.usesRecent(c.key())) return SearchHandler.rev1Only(x);
        sort(x.out(), x.tag(), c, x.mailbox(), x.selected(), x.config().regexBudget());
        return Next.CONTINUE;
    }

    /** A message with its sort keys, each computed once (a comparator that parsed dates or subjects would do so n log n times). */
    private record Row(SelectedFolder.Numbered n, Comparable<?>[] keys) {}

    static void sort(ImapResponseWriter w, String tag, ImapCommand.Sort s, Mailbox mailbox, SelectedFolder sel, java.time.Duration regexBudget) {
        List<SortCriterion> criteria = s.criteria();
        java.util.Set<SortKeys.Field> fields = java.util.EnumSet.noneOf(SortKeys.Field.class);
        for (SortCriterion c : criteria) field(c.key()).ifPresent(fields::add);
        List<Row> rows = new ArrayList<>();
        try (MailboxReader reader = mailbox.reader()) {
            List<SelectedFolder.Numbered> hits = SearchHandler.matching(s.key(), mailbox, reader, sel, regexBudget);
            // The stored keys of the whole folder in one statement, decoding nothing.
            Map<Long, SortKeys> stored = fields.isEmpty() ? Map.of() : reader.sortKeys(sel.folder.id(), fields, SearchHandler.contentIds(hits, SelectedFolder.Numbered::meta));
            for (SelectedFolder.Numbered n : hits) {
                // Expunged before the reader's snapshot: sorts as a message without a header (RFC 9051 §7.5.1).
                SortKeys k = stored.getOrDefault(n.meta().contentId(), NO_KEYS);
                Comparable<?>[] keys = new Comparable<?>[criteria.size()];
                for (int i = 0; i < keys.length; i++) keys[i] = key(criteria.get(i).key(), n, k);
                rows.add(new Row(n, keys));
            }
        }
        rows.sort((a, b) -> {
            for (int k = 0; k < criteria.size(); k++) {
                int c = compare(a.keys()[k], b.keys()[k]);
                if (c != 0) return criteria.get(k).reverse() ? -c : c;
            }
            return Integer.compare(a.n().msn(), b.n().msn());
        });
        w.beginUntagged().atom("SORT");
        for (Row r : rows) w.number(s.uid() ? r.n().meta().uid() : r.n().msn());
        w.endLine();
        w.ok(tag, (s.uid() ? "UID SORT" : "SORT") + " completed");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b) {
        return a.compareTo(b);
    }

    /** Keys of a message with no header: empty strings, no sent date. */
    static final SortKeys NO_KEYS = SortKeys.of(Envelope.EMPTY);

    /** The stored key a criterion compares; none for those the message's own row holds (ARRIVAL, SIZE). */
    private static java.util.Optional<SortKeys.Field> field(SortCriterion.Key key) {
        return java.util.Optional.ofNullable(switch (key) {
            case ARRIVAL, SIZE -> null;
            case DATE -> SortKeys.Field.SENT;
            case SUBJECT -> SortKeys.Field.SUBJECT;
            case FROM -> SortKeys.Field.FROM;
            case TO -> SortKeys.Field.TO;
            case CC -> SortKeys.Field.CC;
            case DISPLAYFROM -> SortKeys.Field.DISPLAY_FROM;
            case DISPLAYTO -> SortKeys.Field.DISPLAY_TO;
        });
    }

    /** One criterion's key for a message (RFC 5256 §3, RFC 5957 §3); strings compare with i;ascii-casemap. */
    private static Comparable<?> key(SortCriterion.Key key, SelectedFolder.Numbered n, SortKeys k) {
        return switch (key) {
            case ARRIVAL -> n.meta().internalDate();
            case SIZE -> n.meta().size();
            case DATE -> k.sentAt().orElse(n.meta().internalDate()); // RFC 5256 §3: else the internal date
            case SUBJECT -> k.subject();
            case FROM -> k.from();
            case TO -> k.to();
            case CC -> k.cc();
            case DISPLAYFROM -> k.displayFrom();
            case DISPLAYTO -> k.displayTo();
        };
    }
}
