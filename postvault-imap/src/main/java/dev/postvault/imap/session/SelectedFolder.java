package dev.postvault.imap.session;

import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's view of the selected folder: message sequence numbers map to UIDs as of what this
 * session has been told (RFC 9051 §2.3.1.2). New messages enter the view only when the session
 * announces them with EXISTS.
 */
final class SelectedFolder {
    final Folder folder;
    final boolean readOnly;
    private final List<MessageMeta> messages;

    SelectedFolder(Folder folder, boolean readOnly, List<MessageMeta> messages) {
        this.folder = folder;
        this.readOnly = readOnly;
        this.messages = new ArrayList<>(messages);
    }

    int exists() {
        return messages.size();
    }

    long highestUid() {
        return messages.isEmpty() ? 0 : messages.getLast().uid();
    }

    /** Takes in messages that arrived since the view was built; returns how many were added. */
    int refresh(Mailbox mailbox) {
        List<MessageMeta> fresh = mailbox.messages(folder.id(), highestUid() + 1, Long.MAX_VALUE);
        messages.addAll(fresh);
        return fresh.size();
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
            if (!messages.get(i).flags().system().contains(dev.postvault.store.mailbox.SystemFlag.SEEN)) return i + 1;
        }
        return 0;
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
