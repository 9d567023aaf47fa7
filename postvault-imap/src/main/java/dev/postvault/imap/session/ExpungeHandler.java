package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ResponseCode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1, RFC 9051 §6.4.9). */
final class ExpungeHandler {
    private ExpungeHandler() {}

    static Next expunge(Exchange x, ImapCommand.Expunge c) {
        return expunge(x, Optional.empty(), "EXPUNGE");
    }

    static Next uidExpunge(Exchange x, ImapCommand.UidExpunge c) {
        Set<Long> uids = new HashSet<>();
        x.selected().resolve(c.uids(), true).forEach(n -> uids.add(n.meta().uid()));
        return expunge(x, Optional.of(uids), "UID EXPUNGE");
    }

    private static Next expunge(Exchange x, Optional<Set<Long>> uids, String verb) {
        SelectedFolder sel = x.selected();
        if (sel.readOnly) {
            x.out().no(x.tag(), ResponseCode.Simple.READ_ONLY, "Mailbox is read-only");
            return Next.CONTINUE;
        }
        List<Long> gone = x.mailbox().expungeDeleted(sel.folder.id(), uids);
        sel.expunged(gone, x.out());
        return x.ok(verb + " completed");
    }
}
