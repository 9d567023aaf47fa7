package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.SortCriterion;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.EnvelopeAddress;
import dev.postvault.store.mailbox.Mailbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

    private record Row(SelectedFolder.Numbered n, Envelope envelope) {}

    static void sort(ImapResponseWriter w, String tag, ImapCommand.Sort s, Mailbox mailbox, SelectedFolder sel, java.time.Duration regexBudget) {
        List<Row> rows = new ArrayList<>();
        boolean needsEnvelope = s.criteria().stream().anyMatch(c -> c.key() != SortCriterion.Key.ARRIVAL && c.key() != SortCriterion.Key.SIZE);
        for (SelectedFolder.Numbered n : SearchHandler.matching(s.key(), mailbox, sel, regexBudget)) {
            rows.add(new Row(n, needsEnvelope ? mailbox.structure(n.meta().contentId()).envelope() : Envelope.EMPTY));
        }
        Comparator<Row> order = null;
        for (SortCriterion c : s.criteria()) {
            Comparator<Row> one = comparator(c.key());
            if (c.reverse()) one = one.reversed();
            order = order == null ? one : order.thenComparing(one);
        }
        Comparator<Row> bySequence = Comparator.comparingInt(r -> r.n().msn());
        rows.sort(order == null ? bySequence : order.thenComparing(bySequence));
        w.beginUntagged().atom("SORT");
        for (Row r : rows) w.number(s.uid() ? r.n().meta().uid() : r.n().msn());
        w.endLine();
        w.ok(tag, (s.uid() ? "UID SORT" : "SORT") + " completed");
    }

    private static Comparator<Row> comparator(SortCriterion.Key key) {
        return switch (key) {
            case ARRIVAL -> Comparator.comparing(r -> r.n().meta().internalDate());
            case SIZE -> Comparator.comparingLong(r -> r.n().meta().size());
            case DATE -> Comparator.comparing(SortHandler::sentDate);
            case SUBJECT -> Comparator.comparing(r -> caseMap(BaseSubject.of(r.envelope().decodedSubject().orElse(""))));
            case FROM -> Comparator.comparing(r -> caseMap(mailbox(r.envelope().from())));
            case TO -> Comparator.comparing(r -> caseMap(mailbox(r.envelope().to())));
            case CC -> Comparator.comparing(r -> caseMap(mailbox(r.envelope().cc())));
            case DISPLAYFROM -> Comparator.comparing(r -> caseMap(display(r.envelope().from())));
            case DISPLAYTO -> Comparator.comparing(r -> caseMap(display(r.envelope().to())));
        };
    }

    /** RFC 5256 §3 DATE: the Date header in UTC, else the internal date. */
    private static Instant sentDate(Row r) {
        return SentDate.instant(r.envelope(), r.n().meta().internalDate());
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
        private BaseSubject() {}

        static String of(String subject) {
            String s = subject.replaceAll("[\\t\\r\\n ]+", " ").strip(); // (1) collapse whitespace
            while (true) {
                String before = s;
                // (2) remove trailing "(fwd)" and whitespace, repeatedly
                while (true) {
                    String t = s.replaceAll("(?i)\\s*\\(fwd\\)\\s*$", "").stripTrailing();
                    if (t.equals(s)) break;
                    s = t;
                }
                // (3)-(5) remove subj-leader: [blob]* then re/fw/fwd [blob] ":" ; or a lone [blob] if text remains
                while (true) {
                    String t = s.replaceFirst("(?i)^(\\[[^\\[\\]]*\\]\\s*)*(re|fwd?)\\s*(\\[[^\\[\\]]*\\])?\\s*:\\s*", "");
                    if (t.equals(s)) {
                        String blob = s.replaceFirst("^\\[[^\\[\\]]*\\]\\s*", "");
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
