package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.SearchKey;
import dev.postvault.imap.codec.SearchReturnOption;
import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.mime.Headers;
import dev.postvault.mime.SearchFields;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxReader;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SearchTexts;
import dev.postvault.store.mailbox.SystemFlag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4, §6.4.9) with ESEARCH return options (RFC 4731).
 *
 * <p>Keys are evaluated per message over the key tree exactly as the RFC nests AND, OR and NOT.
 * Text keys are substring matches, case-insensitive, over decoded values. For TEXT and BODY with three
 * characters or more the trigram index first rules out messages that cannot match; every remaining
 * message is checked exactly, so the index never changes a result, only the work.
 */
final class SearchHandler {
    private SearchHandler() {}

    static Next search(Exchange x, ImapCommand.Search c) {
        if (x.enabled().rev2 && usesRecent(c.key())) return rev1Only(x);
        search(x.out(), x.tag(), c, x.mailbox(), x.selected(), x.config().regexBudget());
        return Next.CONTINUE;
    }

    /** RFC 9051 §6.4.4: RECENT, NEW and OLD are IMAP4rev1 search keys only. */
    static Next rev1Only(Exchange x) {
        return x.bad("RECENT, NEW and OLD are not IMAP4rev2 search keys");
    }

    static void search(ImapResponseWriter w, String tag, ImapCommand.Search s, Mailbox mailbox, SelectedFolder sel, java.time.Duration regexBudget) {
        List<SelectedFolder.Numbered> hits;
        try (MailboxReader reader = mailbox.reader()) {
            hits = matching(s.key(), mailbox, reader, sel, regexBudget);
        }
        List<Long> numbers = hits.stream().map(n -> s.uid() ? n.meta().uid() : (long) n.msn()).toList();
        // RFC 9051 §6.4.4: an IMAP4rev2 session always gets ESEARCH; no RETURN means RETURN (ALL).
        Optional<Set<SearchReturnOption>> returnOptions = s.returnOptions().isPresent() || !sel.rev2
                ? s.returnOptions() : Optional.of(Set.of(SearchReturnOption.ALL));
        if (returnOptions.isPresent()) {
            Set<SearchReturnOption> options = returnOptions.get();
            boolean modseq = usesModSeq(s.key());
            if (modseq) sel.condstore = true;
            if (options.contains(SearchReturnOption.SAVE)) save(options, hits, sel);
            // RFC 5182 §2.4: SAVE alone returns no ESEARCH response.
            if (!options.equals(Set.of(SearchReturnOption.SAVE))) esearch(w, tag, s.uid(), options, numbers, modseq ? hits : null);
        } else {
            w.beginUntagged().atom("SEARCH");
            numbers.forEach(w::number);
            // RFC 7162 §3.1.5: a search that used MODSEQ reports the highest MODSEQ of its results.
            if (usesModSeq(s.key()) && !hits.isEmpty()) {
                sel.condstore = true;
                w.beginList().atom("MODSEQ").number(hits.stream().mapToLong(n -> n.meta().modseq()).max().orElse(0)).endList();
            }
            w.endLine();
        }
        w.ok(tag, (s.uid() ? "UID SEARCH" : "SEARCH") + " completed");
    }

    /**
     * RFC 5182 §2.4: SAVE keeps the whole result, except that with MIN and/or MAX (and neither ALL
     * nor COUNT) it keeps only those messages.
     */
    private static void save(Set<SearchReturnOption> options, List<SelectedFolder.Numbered> hits, SelectedFolder sel) {
        boolean onlyEnds = !options.contains(SearchReturnOption.ALL) && !options.contains(SearchReturnOption.COUNT)
                && (options.contains(SearchReturnOption.MIN) || options.contains(SearchReturnOption.MAX));
        Set<Long> uids = new java.util.HashSet<>();
        if (onlyEnds && !hits.isEmpty()) {
            if (options.contains(SearchReturnOption.MIN)) uids.add(hits.getFirst().meta().uid());
            if (options.contains(SearchReturnOption.MAX)) uids.add(hits.getLast().meta().uid());
        } else {
            for (SelectedFolder.Numbered n : hits) uids.add(n.meta().uid());
        }
        sel.saved = Set.copyOf(uids);
    }

    static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchHandler::usesModSeq);
            case SearchKey.Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
            case SearchKey.Not n -> usesModSeq(n.key());
            default -> false;
        };
    }

    /** True when the key tests \Recent (RECENT, NEW, OLD), which IMAP4rev2 does not have. */
    static boolean usesRecent(SearchKey key) {
        return switch (key) {
            case SearchKey.Recent r -> true;
            case SearchKey.New n -> true;
            case SearchKey.Old o -> true;
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchHandler::usesRecent);
            case SearchKey.Or o -> usesRecent(o.left()) || usesRecent(o.right());
            case SearchKey.Not n -> usesRecent(n.key());
            default -> false;
        };
    }

    /** The messages of the view that match {@code key}, in sequence order (shared with SORT). */
    static List<SelectedFolder.Numbered> matching(SearchKey key, Mailbox mailbox, MailboxReader reader, SelectedFolder sel, java.time.Duration regexBudget) {
        Evaluator ev = new Evaluator(mailbox, reader, sel, System.nanoTime() + regexBudget.toNanos());
        List<SelectedFolder.Numbered> hits = new ArrayList<>();
        List<MessageMeta> all = sel.messages();
        for (int i = 0; i < all.size(); i++) {
            var n = new SelectedFolder.Numbered(i + 1, all.get(i));
            try {
                if (ev.matches(key, n, new MessageData(reader, n.meta()))) hits.add(n);
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.NOT_FOUND) throw e; // expunged meanwhile: no match
            }
        }
        return hits;
    }

    /**
     * RFC 4731 §3.1: {@code * ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set}; with a MODSEQ key,
     * RFC 7162 §3.1.5 adds the highest MODSEQ of the messages returned (only MIN and MAX, if that
     * is all that was asked for).
     */
    private static void esearch(ImapResponseWriter w, String tag, boolean uid, Set<SearchReturnOption> options, List<Long> numbers,
                                List<SelectedFolder.Numbered> hitsForModseq) {
        w.beginUntagged().atom("ESEARCH").beginList().atom("TAG").quoted(tag).endList();
        if (uid) w.atom("UID");
        if (!numbers.isEmpty()) {
            if (options.contains(SearchReturnOption.MIN)) w.atom("MIN").number(numbers.getFirst());
            if (options.contains(SearchReturnOption.MAX)) w.atom("MAX").number(numbers.getLast());
            if (options.contains(SearchReturnOption.ALL)) w.atom("ALL").sequenceSet(compact(numbers));
        }
        if (options.contains(SearchReturnOption.COUNT)) w.atom("COUNT").number(numbers.size());
        if (hitsForModseq != null && !hitsForModseq.isEmpty()) {
            boolean onlyEnds = !options.contains(SearchReturnOption.ALL) && !options.contains(SearchReturnOption.COUNT)
                    && (options.contains(SearchReturnOption.MIN) || options.contains(SearchReturnOption.MAX));
            List<SelectedFolder.Numbered> returned = new ArrayList<>();
            if (onlyEnds) {
                if (options.contains(SearchReturnOption.MIN)) returned.add(hitsForModseq.getFirst());
                if (options.contains(SearchReturnOption.MAX)) returned.add(hitsForModseq.getLast());
            } else {
                returned = hitsForModseq;
            }
            w.atom("MODSEQ").number(returned.stream().mapToLong(n -> n.meta().modseq()).max().orElse(0));
        }
        w.endLine();
    }

    /** Ascending numbers as a sequence set with ranges ("1:3,7"). */
    static SequenceSet compact(List<Long> sorted) {
        List<SequenceSet.Range> ranges = new ArrayList<>();
        long start = sorted.getFirst();
        long prev = start;
        for (int i = 1; i < sorted.size(); i++) {
            long v = sorted.get(i);
            if (v == prev + 1) {
                prev = v;
                continue;
            }
            ranges.add(new SequenceSet.Range(start, prev));
            start = prev = v;
        }
        ranges.add(new SequenceSet.Range(start, prev));
        return SequenceSet.of(ranges);
    }

    /** The content ids of these messages, as the stored keys are read by. */
    static <T> long[] contentIds(List<T> messages, java.util.function.Function<T, MessageMeta> meta) {
        long[] ids = new long[messages.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = meta.apply(messages.get(i)).contentId();
        return ids;
    }

    private static final class Evaluator {
        private final Mailbox mailbox;
        private final MailboxReader reader;
        private final SelectedFolder sel;
        private final Map<String, Optional<Set<Long>>> candidates = new HashMap<>();

        private final long regexDeadlineNanos;

        Evaluator(Mailbox mailbox, MailboxReader reader, SelectedFolder sel, long regexDeadlineNanos) {
            this.mailbox = mailbox;
            this.reader = reader;
            this.sel = sel;
            this.regexDeadlineNanos = regexDeadlineNanos;
        }

        boolean matches(SearchKey key, SelectedFolder.Numbered n, MessageData data) {
            MessageMeta m = n.meta();
            return switch (key) {
                case SearchKey.All a -> true;
                case SearchKey.And and -> {
                    for (SearchKey k : and.keys()) if (!matches(k, n, data)) yield false;
                    yield true;
                }
                case SearchKey.Or or -> matches(or.left(), n, data) || matches(or.right(), n, data);
                case SearchKey.Not not -> !matches(not.key(), n, data);
                case SearchKey.SequenceNumbers s -> s.set().savedResult() ? sel.saved.contains(m.uid()) : s.set().contains(n.msn(), sel.exists());
                case SearchKey.Uids u -> u.set().savedResult() ? sel.saved.contains(m.uid()) : u.set().contains(m.uid(), sel.highestUid());
                case SearchKey.Flag f -> hasFlag(m, f.flag()) == f.set();
                case SearchKey.Recent r -> sel.isRecent(m.uid());
                case SearchKey.New x -> sel.isRecent(m.uid()) && !m.flags().system().contains(SystemFlag.SEEN);
                case SearchKey.Old o -> !sel.isRecent(m.uid());
                case SearchKey.Larger l -> m.size() > l.sizeBytes();
                case SearchKey.Smaller s -> m.size() < s.sizeBytes();
                case SearchKey.ModSeq ms -> m.modseq() >= ms.modSeq();
                case SearchKey.Older o -> m.internalDate().isBefore(Instant.now().minusSeconds(o.seconds()).plusSeconds(1));
                case SearchKey.Younger y -> !m.internalDate().isBefore(Instant.now().minusSeconds(y.seconds()));
                case SearchKey.EmailId e -> emailContent(e.objectId()).filter(id -> id == m.contentId()).isPresent();
                case SearchKey.ThreadId t -> false; // no thread ids are assigned yet
                case SearchKey.SaveDateSupported s -> true;
                case SearchKey.Date d -> compare(dateOf(d.field(), m), d);
                case SearchKey.Header h -> header(h, n, data);
                case SearchKey.Body b -> mayContain(b.text(), m) && data.texts().bodyContains(folded(b.text()));
                case SearchKey.Text t -> mayContain(t.text(), m)
                        && (data.texts().headerContains(folded(t.text())) || data.texts().bodyContains(folded(t.text())));
                case SearchKey.Regex r -> r.pattern().matcher(new TimedText(data.headerText(), regexDeadlineNanos)).find()
                        || r.pattern().matcher(new TimedText(data.body(), regexDeadlineNanos)).find();
            };
        }

        private final Map<String, Optional<Long>> emailContents = new HashMap<>();
        private final Map<String, byte[]> foldedNeedles = new HashMap<>();
        private Map<Long, Optional<LocalDate>> sentDays;
        private final Map<String, Map<Long, Optional<String>>> storedFields = new HashMap<>();
        private long[] contentIds;

        /** The contents of the folder's messages, whose stored keys a header or SENT* key reads. */
        private long[] contentIds() {
            if (contentIds == null) contentIds = SearchHandler.contentIds(sel.messages(), m -> m);
            return contentIds;
        }

        /** A TEXT or BODY string folded as the stored texts are ({@link SearchTexts#fold}). */
        private byte[] folded(String needle) {
            return foldedNeedles.computeIfAbsent(needle, SearchTexts::fold);
        }

        private Optional<Long> emailContent(String emailId) {
            return emailContents.computeIfAbsent(emailId, reader::contentWithEmailId);
        }

        private boolean mayContain(String needle, MessageMeta m) {
            Optional<Set<Long>> c = candidates.computeIfAbsent(needle, mailbox::textCandidates);
            return c.isEmpty() || c.get().contains(m.contentId());
        }

        private boolean header(SearchKey.Header h, SelectedFolder.Numbered n, MessageData data) {
            String field = h.fieldName().toLowerCase(Locale.ROOT);
            if (SearchFields.STORED.contains(field)) {
                // The folder's stored text of this field, read once for the whole search.
                Optional<String> text = storedFields.computeIfAbsent(field, f -> reader.searchFields(sel.folder.id(), f, contentIds()))
                        .getOrDefault(n.meta().contentId(), Optional.empty()); // expunged before the snapshot: no match
                if (h.value().isEmpty()) return text.isPresent(); // RFC 9051 §6.4.4: any value matches ""
                return text.isPresent() && contains(text.get(), h.value());
            }
            // The index lacks signature values, so HEADER on a signature field reads it unfiltered.
            if (!h.value().isEmpty() && !Headers.hasOpaqueValues(field) && !mayContain(h.value(), n.meta())) return false;
            if (h.value().isEmpty()) return !Headers.decoded(data.header(), field).isEmpty();
            Optional<String> text = SearchFields.text(data.header(), data.envelope(), field);
            return text.isPresent() && contains(text.get(), h.value());
        }

        private static boolean hasFlag(MessageMeta m, String flag) {
            return switch (flag.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> m.flags().system().contains(SystemFlag.SEEN);
                case "\\answered" -> m.flags().system().contains(SystemFlag.ANSWERED);
                case "\\flagged" -> m.flags().system().contains(SystemFlag.FLAGGED);
                case "\\deleted" -> m.flags().system().contains(SystemFlag.DELETED);
                case "\\draft" -> m.flags().system().contains(SystemFlag.DRAFT);
                default -> m.flags().keywords().contains(flag);
            };
        }

        private Optional<LocalDate> dateOf(SearchKey.DateField field, MessageMeta m) {
            return switch (field) {
                case INTERNAL -> Optional.of(m.internalDate().atOffset(ZoneOffset.UTC).toLocalDate());
                case SAVED -> Optional.of(m.saveDate().atOffset(ZoneOffset.UTC).toLocalDate());
                // RFC 9051 §6.4.4: the Date: header's own date, disregarding time and time zone; the
                // folder's stored keys are read once for the whole search.
                case SENT -> {
                    if (sentDays == null) sentDays = reader.sentDays(sel.folder.id(), contentIds());
                    yield sentDays.getOrDefault(m.contentId(), Optional.empty()); // expunged before the snapshot: no date
                }
            };
        }

        private static boolean compare(Optional<LocalDate> date, SearchKey.Date d) {
            if (date.isEmpty()) return false;
            return switch (d.comparison()) {
                case BEFORE -> date.get().isBefore(d.date());
                case ON -> date.get().isEqual(d.date());
                case SINCE -> !date.get().isBefore(d.date());
            };
        }
    }

    /** A SEARCH whose regular expressions used up the command's time budget. */
    static final class RegexTimeout extends RuntimeException {
        RegexTimeout() {
            super("regular expression search took too long", null, false, false);
        }
    }

    /**
     * Text that a regular expression reads through: every few thousand characters read it checks the
     * command's deadline, so a catastrophic pattern (nested quantifiers, backtracking) stops in time
     * instead of holding a thread for minutes.
     */
    static final class TimedText implements CharSequence {
        private final CharSequence text;
        private final long deadlineNanos;
        private int reads;

        TimedText(CharSequence text, long deadlineNanos) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xFFF) == 0 && System.nanoTime() > deadlineNanos) throw new RegexTimeout();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedText(text.subSequence(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Case-insensitive substring test (RFC 9051 §6.4.4). */
    static boolean contains(String haystack, String needle) {
        if (needle.isEmpty()) return true;
        return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }

}
