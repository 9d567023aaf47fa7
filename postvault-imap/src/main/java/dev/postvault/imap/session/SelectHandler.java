package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.ResponseStatus;
import dev.postvault.imap.codec.SelectParameters;
import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import java.util.List;
import java.util.Optional;

/** SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3), CLOSE (§6.4.1) and UNSELECT (§6.4.2, RFC 3691). */
final class SelectHandler {
    private SelectHandler() {}

    static Next select(Exchange x, ImapCommand.Select c) {
        return open(x, c.mailbox(), false, c.parameters());
    }

    static Next examine(Exchange x, ImapCommand.Examine c) {
        return open(x, c.mailbox(), true, c.parameters());
    }

    /** RFC 9051 §6.4.1: expunge silently (no EXPUNGE responses), unless selected read-only. */
    static Next close(Exchange x, ImapCommand.Close c) {
        SelectedFolder sel = x.selected();
        if (!sel.readOnly) x.mailbox().expungeDeleted(sel.folder.id(), Optional.empty());
        x.session().unselect();
        return x.ok("CLOSE completed");
    }

    /** RFC 3691: like CLOSE without the expunge. */
    static Next unselect(Exchange x, ImapCommand.Unselect c) {
        x.session().unselect();
        return x.ok("UNSELECT completed");
    }

    private static Next open(Exchange x, String name, boolean readOnly, SelectParameters params) {
        Extensions on = x.enabled();
        if (params.condStore()) on.condstore = true; // RFC 7162 §3.1.8: SELECT (CONDSTORE) enables it
        if (params.qresync().isPresent() && !on.qresync) {
            // RFC 7162 §3.2.5: QRESYNC parameters are only valid once QRESYNC is enabled.
            return x.bad("Enable QRESYNC first");
        }
        if (x.state() instanceof SessionState.Selected previous) {
            on.condstore |= previous.folder().condstore;
            // RFC 9051 §6.3.2 and RFC 7162 §3.2.11: say where the old mailbox's responses end.
            if (on.rev2 || on.qresync) x.out().untaggedStatus(ResponseStatus.OK, Optional.of(ResponseCode.Simple.CLOSED), "Previous mailbox closed");
            x.session().unselect(); // a failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2)
        }
        SelectedFolder sel = open(x.out(), x.tag(), name, readOnly, x.mailbox(), params.qresync(), on.qresync, on.rev2);
        sel.condstore = on.condstore;
        sel.qresync = on.qresync;
        x.session().selected(sel);
        return Next.CONTINUE;
    }

    private static SelectedFolder open(ImapResponseWriter w, String tag, String name, boolean readOnly, Mailbox mailbox,
                                       Optional<SelectParameters.QResync> resync, boolean qresync, boolean rev2) {
        Folder f = mailbox.folder(name);
        List<dev.postvault.store.mailbox.MessageMeta> messages = mailbox.messages(f.id());
        // RFC 9051 §2.3.2: IMAP4rev2 has no \Recent; such a session claims none, leaving them to rev1 sessions.
        long recentFrom = rev2 ? Long.MAX_VALUE
                : mailbox.claimRecent(f.id(), messages.isEmpty() ? f.uidNext() : Math.max(f.uidNext(), messages.getLast().uid() + 1), !readOnly);
        var sel = new SelectedFolder(f, readOnly, messages, recentFrom, rev2);
        w.beginUntagged().atom("FLAGS").beginList();
        Flags.SYSTEM.forEach(w::flag);
        sel.keywords().forEach(w::flag);
        w.endList().endLine();
        List<String> permanent = new java.util.ArrayList<>(Flags.SYSTEM);
        permanent.addAll(sel.keywords());
        permanent.add("\\*");
        ok(w, new ResponseCode.PermanentFlags(readOnly ? List.of() : permanent), readOnly ? "No permanent flags permitted" : "Flags permitted");
        w.beginUntagged().number(sel.exists()).atom("EXISTS").endLine();
        if (rev2) {
            // RFC 9051 §6.3.2: a LIST response with the mailbox name replaces RECENT and UNSEEN.
            w.beginUntagged().atom("LIST").beginList().endList().quoted("/").mailbox(f.name()).endLine();
        } else {
            w.beginUntagged().number(sel.recentCount()).atom("RECENT").endLine();
            int unseen = sel.firstUnseen();
            if (unseen > 0) ok(w, new ResponseCode.Unseen(unseen), "First unseen");
        }
        ok(w, new ResponseCode.UidValidity(f.uidValidity()), "UIDs valid");
        ok(w, new ResponseCode.UidNext(f.uidNext()), "Predicted next UID");
        ok(w, new ResponseCode.MailboxId(f.objectId()), "Mailbox id"); // RFC 8474 §4.2
        ok(w, new ResponseCode.HighestModSeq(f.highestModseq()), "Highest modseq"); // RFC 7162 §3.1.2.1
        if (resync.isPresent() && resync.get().uidValidity() == f.uidValidity()) {
            // RFC 7162 §3.2.5.2: what vanished and what changed since the client's MODSEQ, from the
            // journal (kept for the folder's lifetime, so any old state can be resynchronised).
            long since = resync.get().modSeq();
            var known = resync.get().knownUids();
            List<Long> vanished = mailbox.expungedSince(f.id(), since).stream()
                    .filter(uid -> known.isEmpty() || known.get().contains(uid, Math.max(1, f.uidNext() - 1))).toList();
            if (!vanished.isEmpty()) SelectedFolder.writeVanished(w, vanished, true);
            for (int i = 0; i < messages.size(); i++) {
                var m = messages.get(i);
                if (m.modseq() <= since) continue;
                if (known.isPresent() && !known.get().contains(m.uid(), Math.max(1, f.uidNext() - 1))) continue;
                w.beginUntagged().number(i + 1).atom("FETCH").beginList().atom("UID").number(m.uid()).atom("FLAGS");
                Flags.write(w, m.flags(), sel.isRecent(m.uid()));
                w.atom("MODSEQ").beginList().number(m.modseq()).endList().endList().endLine();
            }
        }
        w.ok(tag, readOnly ? ResponseCode.Simple.READ_ONLY : ResponseCode.Simple.READ_WRITE,
                (readOnly ? "EXAMINE" : "SELECT") + " completed");
        return sel;
    }

    private static void ok(ImapResponseWriter w, ResponseCode code, String text) {
        w.untaggedStatus(ResponseStatus.OK, Optional.of(code), text);
    }


}
