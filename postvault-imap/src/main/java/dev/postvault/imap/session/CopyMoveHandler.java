package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.ResponseStatus;
import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.CopyResult;
import dev.postvault.store.mailbox.Mailbox;
import java.util.List;
import java.util.Optional;

/** COPY, MOVE and their UID forms (RFC 9051 §6.4.7, §6.4.8; RFC 6851; UIDPLUS COPYUID, RFC 4315 §3). */
final class CopyMoveHandler {
    private CopyMoveHandler() {}

    static Next copy(Exchange x, ImapCommand.Copy c) {
        copyOrMove(x.out(), x.tag(), c.uid(), false, c.sequenceSet(), c.mailbox(), x.mailbox(), x.selected(), () -> x.announce(false));
        return Next.CONTINUE;
    }

    static Next move(Exchange x, ImapCommand.Move c) {
        copyOrMove(x.out(), x.tag(), c.uid(), true, c.sequenceSet(), c.mailbox(), x.mailbox(), x.selected(), () -> x.announce(false));
        return Next.CONTINUE;
    }

    static void copyOrMove(ImapResponseWriter w, String tag, boolean uid, boolean move, SequenceSet set, String target,
                           Mailbox mailbox, SelectedFolder sel, Runnable beforeTagged) {
        String verb = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        if (!uid && sel.outOfRange(set)) {
            w.bad(tag, "Invalid message sequence number");
            return;
        }
        if (move && sel.readOnly) {
            w.no(tag, ResponseCode.Simple.READ_ONLY, "Mailbox is read-only");
            return;
        }
        List<Long> uids = sel.resolve(set, uid).stream().map(n -> n.meta().uid()).toList();
        CopyResult r;
        try {
            r = move ? mailbox.move(sel.folder.id(), uids, target) : mailbox.copy(sel.folder.id(), uids, target);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.NOT_FOUND) {
                w.no(tag, ResponseCode.Simple.TRYCREATE, "No such mailbox");
                return;
            }
            throw e;
        }
        Optional<ResponseCode> copyUid = r.sourceUids().isEmpty() ? Optional.empty()
                : Optional.of(new ResponseCode.CopyUid(r.uidValidity(), ranges(r.sourceUids()), ranges(r.destinationUids())));
        if (move) {
            // RFC 6851 §4.3: COPYUID comes in an untagged OK before the EXPUNGEs.
            copyUid.ifPresent(code -> w.untaggedStatus(ResponseStatus.OK, Optional.of(code), "Moved UIDs"));
            sel.expunged(r.sourceUids(), w);
            beforeTagged.run();
            w.ok(tag, verb + " completed");
        } else {
            beforeTagged.run();
            w.tagged(tag, ResponseStatus.OK, copyUid, verb + " completed");
        }
    }

    private static SequenceSet ranges(List<Long> uids) {
        return SequenceSet.of(uids.stream().map(SequenceSet.Range::of).toList());
    }
}
