package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.store.mailbox.FlagMode;
import dev.postvault.store.mailbox.FlagUpdate;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.MessageMeta;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** STORE and UID STORE (RFC 9051 §6.4.6, §6.4.9; RFC 7162 §3.1.3 UNCHANGEDSINCE). */
final class StoreHandler {
    private StoreHandler() {}

    static Next store(Exchange x, ImapCommand.Store c) {
        store(x.out(), x.tag(), c, x.mailbox(), x.selected());
        return Next.CONTINUE;
    }

    static void store(ImapResponseWriter w, String tag, ImapCommand.Store s, Mailbox mailbox, SelectedFolder sel) {
        if (sel.readOnly) {
            w.no(tag, ResponseCode.Simple.READ_ONLY, "Mailbox is read-only");
            return;
        }
        if (!s.uid() && sel.outOfRange(s.sequenceSet())) {
            w.bad(tag, "Invalid message sequence number");
            return;
        }
        Optional<MessageFlags> flags = Flags.parse(s.flags());
        if (flags.isEmpty()) {
            w.bad(tag, "Invalid flag");
            return;
        }
        List<SelectedFolder.Numbered> targets = sel.resolve(s.sequenceSet(), s.uid());
        List<Long> uids = targets.stream().map(n -> n.meta().uid()).toList();
        FlagMode mode = switch (s.action()) {
            case REPLACE -> FlagMode.REPLACE;
            case ADD -> FlagMode.ADD;
            case REMOVE -> FlagMode.REMOVE;
        };
        FlagUpdate u = mailbox.storeFlags(sel.folder.id(), uids, mode, flags.get(), s.unchangedSince());
        Set<Long> changed = new HashSet<>(u.changed());
        List<MessageMeta> fresh = uids.isEmpty() ? List.of() : mailbox.messages(sel.folder.id(), uids.getFirst(), uids.getLast());
        sel.update(fresh);
        for (MessageMeta m : fresh) {
            if (!changed.contains(m.uid()) && !uids.contains(m.uid())) continue;
            // RFC 9051 §6.4.6: FETCH FLAGS unless .SILENT; a message whose flags another session
            // changed meanwhile is reported even with .SILENT.
            if (s.silent() && changed.contains(m.uid())) continue;
            if (u.modified().contains(m.uid())) continue;
            sel.learnKeywords(m.flags(), w);
            w.beginUntagged().number(sel.msnOf(m.uid())).atom("FETCH").beginList();
            if (s.uid()) w.atom("UID").number(m.uid());
            w.atom("FLAGS");
            Flags.write(w, m.flags(), sel.isRecent(m.uid()));
            if (sel.condstore) w.atom("MODSEQ").beginList().number(m.modseq()).endList();
            w.endList().endLine();
        }
        if (!u.modified().isEmpty()) {
            List<SequenceSet.Range> mod = u.modified().stream()
                    .map(uid -> SequenceSet.Range.of(s.uid() ? uid : sel.msnOf(uid))).toList();
            w.ok(tag, new ResponseCode.Modified(SequenceSet.of(mod)), "Conditional STORE failed");
            return;
        }
        w.ok(tag, (s.uid() ? "UID STORE" : "STORE") + " completed");
    }
}
