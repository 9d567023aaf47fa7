package dev.postvault.imap.session;

import dev.postvault.imap.codec.AppendMessage;
import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.SequenceSet;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.Appended;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** APPEND and MULTIAPPEND (RFC 9051 §6.3.12, RFC 3502) with UIDPLUS's APPENDUID (RFC 4315 §3). */
final class AppendHandler {
    private AppendHandler() {}

    /** New messages in the selected folder are announced before the tagged OK. */
    static Next append(Exchange x, ImapCommand.Append c) {
        append(x.out(), x.tag(), c, x.mailbox(), () -> x.announce(true));
        return Next.CONTINUE;
    }

    /** {@code beforeTagged} announces the new messages when they went into the selected folder. */
    static void append(ImapResponseWriter w, String tag, ImapCommand.Append a, Mailbox mailbox, Runnable beforeTagged) {
        List<Mailbox.NewMessage> messages = new ArrayList<>();
        for (AppendMessage m : a.messages()) {
            Optional<MessageFlags> flags = Flags.parse(m.flags());
            if (flags.isEmpty()) {
                w.bad(tag, "Invalid flag in APPEND");
                return;
            }
            Instant date = m.internalDate().map(d -> d.toInstant()).orElseGet(Instant::now);
            messages.add(new Mailbox.NewMessage(m.content().toByteArray(), flags.get(), date));
        }
        List<Appended> added;
        try {
            added = mailbox.appendAll(a.mailbox(), messages);
        } catch (StoreException e) {
            // RFC 9051 §6.3.12: a missing destination gets [TRYCREATE] so the client can CREATE it.
            if (e.kind() == StoreException.Kind.NOT_FOUND) {
                w.no(tag, ResponseCode.Simple.TRYCREATE, "No such mailbox");
                return;
            }
            throw e;
        }
        beforeTagged.run();
        List<SequenceSet.Range> uids = added.stream().map(x -> SequenceSet.Range.of(x.uid())).toList();
        w.ok(tag, new ResponseCode.AppendUid(added.getFirst().uidValidity(), SequenceSet.of(uids)), "APPEND completed");
    }
}
