package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.SortCriterion;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.EnvelopeAddress;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
        boolean needsEnvelope = criteria.stream().anyMatch(c -> c.key() != SortCriterion.Key.ARRIVAL && c.key() != SortCriterion.Key.SIZE);
        List<Row> rows = new ArrayList<>();
        try (MailboxReader reader = mailbox.reader()) {
            for (SelectedFolder.Numbered n : SearchHandler.matching(s.key(), mailbox, reader, sel, regexBudget)) {
                rows.add(new Row(n, new Comparable<?>[criteria.size()]));
            }
            // The envelopes of the whole folder in one pass; each decoded one is dropped once its keys are taken.
            if (needsEnvelope) forEachEnvelope(reader, sel, rows, Row::n, (row, e) -> keys(criteria, row, e));
        }
        // Without an envelope (none needed, or expunged before the reader's snapshot: RFC 9051 §7.5.1).
        for (Row r : rows) if (r.keys().length > 0 && r.keys()[0] == null) keys(criteria, r, Envelope.EMPTY);
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

    private static void keys(List<SortCriterion> criteria, Row r, Envelope e) {
        for (int k = 0; k < criteria.size(); k++) r.keys()[k] = key(criteria.get(k).key(), r.n(), e);
    }

    /**
     * Hands each of {@code items} its message's envelope, read for the whole selected folder in one
     * statement ({@link MailboxReader#forEachSummary}) rather than looked up message by message.
     */
    static <T> void forEachEnvelope(MailboxReader reader, SelectedFolder sel, List<T> items,
                                    java.util.function.Function<T, SelectedFolder.Numbered> numbered,
                                    java.util.function.BiConsumer<T, Envelope> each) {
        forEachSummary(reader, sel, items, numbered, false, (item, summary) -> each.accept(item, summary.envelope()));
    }

    /** As {@link #forEachEnvelope}, with the header too when {@code withHeader}. */
    static <T> void forEachSummary(MailboxReader reader, SelectedFolder sel, List<T> items,
                                   java.util.function.Function<T, SelectedFolder.Numbered> numbered, boolean withHeader,
                                   java.util.function.BiConsumer<T, MailboxReader.Summary> each) {
        java.util.Map<Long, List<T>> byContent = new java.util.HashMap<>();
        for (T item : items) byContent.computeIfAbsent(numbered.apply(item).meta().contentId(), id -> new ArrayList<>(1)).add(item);
        java.util.Set<Long> done = new java.util.HashSet<>();
        reader.forEachSummary(sel.folder.id(), withHeader, summary -> {
            List<T> waiting = byContent.get(summary.contentId());
            if (waiting == null || !done.add(summary.contentId())) return;
            for (T item : waiting) each.accept(item, summary);
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b) {
        return a.compareTo(b);
    }

    /** One criterion's key for a message (RFC 5256 §3, RFC 5957 §3); strings compare with i;ascii-casemap. */
    private static Comparable<?> key(SortCriterion.Key key, SelectedFolder.Numbered n, Envelope e) {
        return switch (key) {
            case ARRIVAL -> n.meta().internalDate();
            case SIZE -> n.meta().size();
            case DATE -> SentDate.instant(e, n.meta().internalDate()); // RFC 5256 §3: else the internal date
            case SUBJECT -> caseMap(BaseSubject.of(e.decodedSubject().orElse("")));
            case FROM -> caseMap(mailbox(e.from()));
            case TO -> caseMap(mailbox(e.to()));
            case CC -> caseMap(mailbox(e.cc()));
            case DISPLAYFROM -> caseMap(display(e.from()));
            case DISPLAYTO -> caseMap(display(e.to()));
        };
    }

    /**
     * RFC 5256 §3: the addr-mailbox of the first address, empty without one. A group's first entry
     * is its name, which stands in the mailbox field of the IMAP address (RFC 3501 §7.4.2).
     */
    private static String mailbox(List<EnvelopeAddress> list) {
        if (list.isEmpty()) return "";
        return switch (list.getFirst()) {
            case EnvelopeAddress.Mailbox m -> m.mailbox();
            case EnvelopeAddress.GroupStart g -> g.groupName();
            case EnvelopeAddress.GroupEnd e -> "";
        };
    }

    /** RFC 5957 §3: the decoded display name of the first address, else its addr-spec. */
    private static String display(List<EnvelopeAddress> list) {
        if (list.isEmpty()) return "";
        return switch (list.getFirst()) {
            case EnvelopeAddress.Mailbox m -> m.decodedName().filter(n -> !n.isBlank())
                    .orElse(m.mailbox() + (m.host().isEmpty() ? "" : "@" + m.host()));
            case EnvelopeAddress.GroupStart g -> g.decodedGroupName();
            case EnvelopeAddress.GroupEnd e -> "";
        };
    }

    /** i;ascii-casemap (RFC 4790 §9.2): ASCII letters compared without case. */
    static String caseMap(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }

    /** RFC 5256 §2.1 base subject: without Re:/Fw:/Fwd:, [blob] prefixes, (fwd) trailers and [fwd: ...] wrappers. */
    static final class BaseSubject {
        private static final Pattern WHITESPACE = Pattern.compile("[\\t\\r\\n ]+");
        private static final Pattern FWD_TRAILER = Pattern.compile("(?i)\\s*\\(fwd\\)\\s*$");
        private static final Pattern LEADER = Pattern.compile("(?i)^(\\[[^\\[\\]]*\\]\\s*)*(re|fwd?)\\s*(\\[[^\\[\\]]*\\])?\\s*:\\s*");
        private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\]\\s*");

        private BaseSubject() {}

        /** RFC 5256 §2.1 step (1): runs of whitespace become one space, and the ends are trimmed. */
        static String collapse(String subject) {
            return WHITESPACE.matcher(subject).replaceAll(" ").strip();
        }

        static String of(String subject) {
            String s = collapse(subject); // (1) collapse whitespace
            while (true) {
                String before = s;
                // (2) remove trailing "(fwd)" and whitespace, repeatedly
                while (true) {
                    String t = FWD_TRAILER.matcher(s).replaceAll("").stripTrailing();
                    if (t.equals(s)) break;
                    s = t;
                }
                // (3)-(5) remove subj-leader: [blob]* then re/fw/fwd [blob] ":" ; or a lone [blob] if text remains
                while (true) {
                    String t = LEADER.matcher(s).replaceFirst("");
                    if (t.equals(s)) {
                        String blob = BLOB.matcher(s).replaceFirst("");
                        if (!blob.equals(s) && !blob.isEmpty()) t = blob;
                    }
                    if (t.equals(s)) break;
                    s = t;
                }
                // (6) "[fwd:" subject "]" wrapper
                if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                    s = s.substring(5, s.length() - 1).strip();
                }
                if (s.equals(before)) return s;
            }
        }
    }

}
