package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.StatusItem;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.FolderStatus;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.SpecialUse;
import java.util.Locale;
import java.util.Optional;

/**
 * CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS, NAMESPACE (RFC 9051 §6.3.4-§6.3.11,
 * RFC 6154 §3 CREATE-SPECIAL-USE).
 */
final class MailboxHandler {
    private MailboxHandler() {}

    static Next create(Exchange x, ImapCommand.Create c) {
        create(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static Next delete(Exchange x, ImapCommand.Delete c) {
        delete(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static Next rename(Exchange x, ImapCommand.Rename c) {
        rename(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static Next subscribe(Exchange x, ImapCommand.Subscribe c) {
        subscribe(x.out(), x.tag(), c.mailbox(), true, x.mailbox());
        return Next.CONTINUE;
    }

    static Next unsubscribe(Exchange x, ImapCommand.Unsubscribe c) {
        subscribe(x.out(), x.tag(), c.mailbox(), false, x.mailbox());
        return Next.CONTINUE;
    }

    static Next namespace(Exchange x, ImapCommand.Namespace c) {
        namespace(x.out(), x.tag());
        return Next.CONTINUE;
    }

    static Next status(Exchange x, ImapCommand.Status c) {
        // RFC 9051 §6.3.11: IMAP4rev2 has no RECENT status item.
        if (x.enabled().rev2 && c.items().contains(StatusItem.RECENT)) return x.bad("RECENT is not an IMAP4rev2 status item");
        status(x.out(), x.tag(), c, x.mailbox(), x.session().appendLimitBytes());
        return Next.CONTINUE;
    }

    static void create(ImapResponseWriter w, String tag, ImapCommand.Create c, Mailbox mailbox) {
        Optional<SpecialUse> use = Optional.empty();
        if (c.specialUse().size() > 1) {
            w.no(tag, dev.postvault.imap.codec.ResponseCode.Simple.USEATTR, "One special use per folder");
            return;
        }
        if (!c.specialUse().isEmpty()) {
            use = specialUse(c.specialUse().getFirst());
            if (use.isEmpty()) {
                w.no(tag, dev.postvault.imap.codec.ResponseCode.Simple.USEATTR, "Unsupported special use");
                return;
            }
        }
        if (c.mailbox().equalsIgnoreCase("INBOX")) throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "INBOX always exists");
        var created = mailbox.createFolder(c.mailbox(), use);
        w.ok(tag, new dev.postvault.imap.codec.ResponseCode.MailboxId(created.objectId()), "CREATE completed"); // RFC 8474 §4.1
    }

    static void delete(ImapResponseWriter w, String tag, ImapCommand.Delete d, Mailbox mailbox) {
        mailbox.deleteFolder(d.mailbox());
        w.ok(tag, "DELETE completed");
    }

    static void rename(ImapResponseWriter w, String tag, ImapCommand.Rename r, Mailbox mailbox) {
        mailbox.renameFolder(r.mailbox(), r.newName());
        w.ok(tag, "RENAME completed");
    }

    static void subscribe(ImapResponseWriter w, String tag, String name, boolean on, Mailbox mailbox) {
        mailbox.subscribe(name, on);
        w.ok(tag, (on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
    }

    /** RFC 9051 §6.3.11; RFC 8438 SIZE; RFC 8474 MAILBOXID. */
    static void status(ImapResponseWriter w, String tag, ImapCommand.Status s, Mailbox mailbox, long appendLimitBytes) {
        writeStatus(w, mailbox.status(s.mailbox()), s.items(), appendLimitBytes);
        w.ok(tag, "STATUS completed");
    }

    /** One {@code * STATUS} line (also sent by LIST RETURN (STATUS ...), RFC 5819). */
    static void writeStatus(ImapResponseWriter w, FolderStatus st, java.util.List<StatusItem> items, long appendLimitBytes) {
        w.beginUntagged().atom("STATUS").mailbox(st.folder().name()).beginList();
        for (StatusItem item : items) {
            switch (item) {
                case MESSAGES -> w.atom("MESSAGES").number(st.messages());
                case UIDNEXT -> w.atom("UIDNEXT").number(st.folder().uidNext());
                case UIDVALIDITY -> w.atom("UIDVALIDITY").number(st.folder().uidValidity());
                case UNSEEN -> w.atom("UNSEEN").number(st.unseen());
                case DELETED -> w.atom("DELETED").number(st.deleted());
                case SIZE -> w.atom("SIZE").number(st.sizeBytes());
                case RECENT -> w.atom("RECENT").number(st.recent());
                case HIGHESTMODSEQ -> w.atom("HIGHESTMODSEQ").number(st.folder().highestModseq());
                case MAILBOXID -> w.atom("MAILBOXID").beginList().atom(st.folder().objectId()).endList();
                case APPENDLIMIT -> w.atom("APPENDLIMIT").number(appendLimitBytes);
                // RFC 9208 §4.2.3: what EXPUNGE would free, in the STORAGE resource's unit of 1024 octets;
                // the sum of the \Deleted messages' sizes, as the RFC allows (shared attachments count in full).
                case DELETED_STORAGE -> w.atom("DELETED-STORAGE").number((st.deletedBytes() + 1023) / 1024);
            }
        }
        w.endList().endLine();
    }

    /** RFC 2342 / RFC 9051 §6.3.10: one personal namespace, no prefix, "/" delimiter. */
    static void namespace(ImapResponseWriter w, String tag) {
        w.beginUntagged().atom("NAMESPACE").beginList().beginList().quoted("").quoted("/").endList().endList().nil().nil().endLine();
        w.ok(tag, "NAMESPACE completed");
    }

    static Optional<SpecialUse> specialUse(String attribute) {
        return switch (attribute.toLowerCase(Locale.ROOT)) {
            case "\\drafts" -> Optional.of(SpecialUse.DRAFTS);
            case "\\sent" -> Optional.of(SpecialUse.SENT);
            case "\\archive" -> Optional.of(SpecialUse.ARCHIVE);
            case "\\junk" -> Optional.of(SpecialUse.JUNK);
            case "\\trash" -> Optional.of(SpecialUse.TRASH);
            case "\\all" -> Optional.of(SpecialUse.ALL);
            case "\\flagged" -> Optional.of(SpecialUse.FLAGGED);
            default -> Optional.empty();
        };
    }
}
