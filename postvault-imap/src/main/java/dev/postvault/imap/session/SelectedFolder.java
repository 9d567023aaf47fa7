package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SystemFlag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session's view of the selected folder (RFC 9051 §2.3.1.2): message sequence numbers map to
 * UIDs as this session has been told. Changes by others enter the view only when announced:
 * new messages with EXISTS, flag changes with FETCH, removals with EXPUNGE. A removal is held back
 * while the current command may not announce one (FETCH, STORE, SEARCH: RFC 9051 §7.5.1), and the
 * removed message keeps its number until then.
 */
final class SelectedFolder {
    final Folder folder;
    final boolean readOnly;
    /** RFC 7162 §3.1: once the client is CONDSTORE-aware, flag updates carry MODSEQ. */
    boolean condstore;
    /** RFC 7162 §3.2.10: with QRESYNC enabled, removals are announced as VANISHED, not EXPUNGE. */
    boolean qresync;
    /**
     * The SEARCHRES result "$" (RFC 5182), kept as UIDs so it survives expunges and applies to UID
     * and sequence-number commands alike; empty until a SEARCH ... RETURN (SAVE).
     */
    Set<Long> saved = Set.of();
    private final List<MessageMeta> messages;
    /** UIDs that are \Recent in this session (RFC 3501 §2.3.2). */
    private final java.util.Set<Long> recent = new java.util.HashSet<>();
    /** Keywords the client has been told of in FLAGS (RFC 9051 §7.3.5). */
    private final java.util.Set<String> keywords = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    /**
     * IMAP4rev2 is enabled (RFC 9051): no \Recent and no RECENT responses, and SEARCH answers with
     * ESEARCH.
     */
    final boolean rev2;

    SelectedFolder(Folder folder, boolean readOnly, List<MessageMeta> messages, long recentFrom) {
        this(folder, readOnly, messages, recentFrom, false);
    }

    /** Every change up to this MODSEQ is in the view (or held back as an expunge not yet announced). */
    private long seenModseq;

    SelectedFolder(Folder folder, boolean readOnly, List<MessageMeta> messages, long recentFrom, boolean rev2) {
        this.rev2 = rev2;
        // The folder record was read before the messages: anything in between is read again, harmlessly.
        this.seenModseq = folder.highestModseq();
        this.folder = folder;
        this.readOnly = readOnly;
        this.messages = new ArrayList<>(messages);
        for (MessageMeta m : messages) {
            if (m.uid() >= recentFrom) recent.add(m.uid());
            if (!m.flags().keywords().isEmpty()) keywords.addAll(m.flags().keywords());
        }
    }

    boolean isRecent(long uid) {
        return recent.contains(uid);
    }

    int recentCount() {
        return recent.size();
    }

    List<String> keywords() {
        return List.copyOf(keywords);
    }

    /** Announces FLAGS again when a message carries a keyword the client has not been told of. */
    void learnKeywords(dev.postvault.store.mailbox.MessageFlags flags, ImapResponseWriter w) {
        boolean fresh = false;
        for (String k : flags.keywords()) fresh |= keywords.add(k);
        if (!fresh) return;
        w.beginUntagged().atom("FLAGS").beginList();
        Flags.SYSTEM.forEach(w::flag);
        keywords.forEach(w::flag);
        w.endList().endLine();
    }

    int exists() {
        return messages.size();
    }

    long highestUid() {
        return messages.isEmpty() ? 0 : messages.getLast().uid();
    }

    List<MessageMeta> messages() {
        return List.copyOf(messages);
    }

    /**
     * Brings the view up to date with the store and writes the untagged responses that say so.
     *
     * @param mayExpunge whether EXPUNGE responses are allowed now
     */
    void announce(Mailbox mailbox, ImapResponseWriter w, boolean mayExpunge) {
        // Only what changed since this view was last brought up to date: a small indexed read instead
        // of the whole folder. Re-reading a change is harmless (flags are compared, UIDs known are
        // skipped), so the mark only moves when expunges may be announced too; until then the held
        // expunges are read again next time.
        Mailbox.Changes changes = mailbox.changesSince(folder.id(), seenModseq);
        Map<Long, MessageMeta> current = new HashMap<>();
        for (MessageMeta m : changes.changed()) current.put(m.uid(), m);
        java.util.Set<Long> gone = mayExpunge ? new java.util.HashSet<>(changes.expunged()) : java.util.Set.of();
        List<MessageMeta> now = changes.changed();
        long highest = highestUid();
        List<Long> vanished = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageMeta old = messages.get(i);
            if (gone.contains(old.uid())) {
                if (qresync) vanished.add(old.uid());
                else w.beginUntagged().number(i + 1).atom("EXPUNGE").endLine();
                recent.remove(old.uid());
                messages.remove(i--);
                continue;
            }
            MessageMeta fresh = current.get(old.uid());
            if (fresh == null) continue;
            if (!fresh.flags().equals(old.flags())) {
                messages.set(i, fresh);
                learnKeywords(fresh.flags(), w);
                w.beginUntagged().number(i + 1).atom("FETCH").beginList().atom("FLAGS");
                Flags.write(w, fresh.flags(), isRecent(fresh.uid()));
                if (condstore) w.atom("MODSEQ").beginList().number(fresh.modseq()).endList();
                w.endList().endLine();
            } else if (fresh.modseq() != old.modseq()) {
                messages.set(i, fresh);
            }
        }
        if (mayExpunge) seenModseq = Math.max(seenModseq, changes.highestModseq());
        if (!vanished.isEmpty()) writeVanished(w, vanished, false);
        int before = messages.size();
        for (MessageMeta m : now) {
            if (m.uid() <= highest || gone.contains(m.uid())) continue;
            messages.add(m);
            learnKeywords(m.flags(), w);
        }
        if (messages.size() != before) {
            if (rev2) {
                // RFC 9051 §2.3.2: IMAP4rev2 has no \Recent and no RECENT response.
                w.beginUntagged().number(messages.size()).atom("EXISTS").endLine();
                return;
            }
            // The first session to hear of new messages gets them as \Recent (RFC 3501 §2.3.2).
            long from;
            try {
                from = mailbox.claimRecent(folder.id(), highestUid() + 1, !readOnly);
            } catch (dev.postvault.store.StoreException e) {
                // \Recent is advisory; a store that cannot record the claim (a full disk) must not
                // keep the client from hearing of the messages this view now holds.
                from = Long.MAX_VALUE;
            }
            for (int i = before; i < messages.size(); i++) if (messages.get(i).uid() >= from) recent.add(messages.get(i).uid());
            w.beginUntagged().number(messages.size()).atom("EXISTS").endLine();
            w.beginUntagged().number(recent.size()).atom("RECENT").endLine();
        }
    }

    /** Removes messages this session expunged itself, writing EXPUNGE for each, or one VANISHED. */
    void expunged(List<Long> uids, ImapResponseWriter w) {
        List<Long> gone = new ArrayList<>();
        for (long uid : uids) {
            int i = indexOfUid(uid);
            if (i < 0) continue;
            if (!qresync) w.beginUntagged().number(i + 1).atom("EXPUNGE").endLine();
            messages.remove(i);
            recent.remove(uid);
            gone.add(uid);
        }
        if (qresync && !gone.isEmpty()) writeVanished(w, gone, false);
    }

    /** {@code * VANISHED [(EARLIER)] uid-set} (RFC 7162 §3.2.10). */
    static void writeVanished(ImapResponseWriter w, List<Long> uids, boolean earlier) {
        w.beginUntagged().atom("VANISHED");
        if (earlier) w.beginList().atom("EARLIER").endList();
        w.sequenceSet(SearchHandler.compact(uids.stream().sorted().toList())).endLine();
    }

    /** Replaces the metadata of messages whose flags this session changed. */
    void update(List<MessageMeta> changed) {
        for (MessageMeta m : changed) {
            int i = indexOfUid(m.uid());
            if (i >= 0) messages.set(i, m);
        }
    }

    /** A message and its sequence number. */
    record Numbered(int msn, MessageMeta meta) {}

    /**
     * The messages a sequence set names, in ascending order. For sequence numbers {@code *} is the
     * highest number; for UIDs it is the highest UID (RFC 9051 §9 seq-number), and a UID range
     * matches whatever UIDs exist inside it.
     */
    List<Numbered> resolve(SequenceSet set, boolean uid) {
        List<Numbered> out = new ArrayList<>();
        if (messages.isEmpty()) return out;
        if (set.savedResult()) {
            for (int i = 0; i < messages.size(); i++) {
                if (saved.contains(messages.get(i).uid())) out.add(new Numbered(i + 1, messages.get(i)));
            }
            return out;
        }
        if (uid) {
            long largest = highestUid();
            for (int i = 0; i < messages.size(); i++) {
                if (set.contains(messages.get(i).uid(), largest)) out.add(new Numbered(i + 1, messages.get(i)));
            }
        } else {
            for (SequenceSet.Range r : set.normalized(messages.size())) {
                long from = Math.max(1, r.first());
                long to = Math.min(messages.size(), r.last());
                for (long n = from; n <= to; n++) out.add(new Numbered((int) n, messages.get((int) n - 1)));
            }
        }
        return out;
    }

    /** True when a sequence-number set names a number beyond EXISTS (a client error, RFC 9051 §6.4.5). */
    boolean outOfRange(SequenceSet set) {
        for (SequenceSet.Range r : set.ranges()) {
            if (!r.usesStar() && Math.max(r.first(), r.last()) > messages.size()) return true;
        }
        return false;
    }

    int firstUnseen() {
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).flags().system().contains(SystemFlag.SEEN)) return i + 1;
        }
        return 0;
    }

    int msnOf(long uid) {
        return indexOfUid(uid) + 1;
    }

    private int indexOfUid(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = messages.get(mid).uid();
            if (u == uid) return mid;
            if (u < uid) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }
}
