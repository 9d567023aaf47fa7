package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.store.mailbox.Mailbox;

/**
 * QUOTA (RFC 9208): one quota root per alias, named "", with the STORAGE resource in KiB. The limit
 * is set by the operator per alias; users cannot change it (SETQUOTA is refused, RFC 9208 §4.2.3).
 */
final class QuotaHandler {
    static final String ROOT = "";

    private QuotaHandler() {}

    static Next getQuota(Exchange x, ImapCommand.GetQuota c) {
        getQuota(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static Next getQuotaRoot(Exchange x, ImapCommand.GetQuotaRoot c) {
        getQuotaRoot(x.out(), x.tag(), c, x.mailbox());
        return Next.CONTINUE;
    }

    static Next setQuota(Exchange x, ImapCommand.SetQuota c) {
        setQuota(x.out(), x.tag());
        return Next.CONTINUE;
    }

    static void getQuotaRoot(ImapResponseWriter w, String tag, ImapCommand.GetQuotaRoot g, Mailbox mailbox) {
        mailbox.folder(g.mailbox()); // NONEXISTENT for an unknown name
        w.beginUntagged().atom("QUOTAROOT").mailbox(g.mailbox()).quoted(ROOT).endLine();
        quota(w, mailbox);
        w.ok(tag, "GETQUOTAROOT completed");
    }

    static void getQuota(ImapResponseWriter w, String tag, ImapCommand.GetQuota g, Mailbox mailbox) {
        if (!g.quotaRoot().equals(ROOT)) {
            w.no(tag, ResponseCode.Simple.NONEXISTENT, "No such quota root");
            return;
        }
        quota(w, mailbox);
        w.ok(tag, "GETQUOTA completed");
    }

    static void setQuota(ImapResponseWriter w, String tag) {
        w.no(tag, ResponseCode.Simple.NOPERM, "Quotas are set by the administrator");
    }

    /** RFC 9208 §5.1: usage and limit in units of 1024 octets. */
    private static void quota(ImapResponseWriter w, Mailbox mailbox) {
        long limit = mailbox.quotaBytes();
        w.beginUntagged().atom("QUOTA").quoted(ROOT).beginList();
        if (limit > 0) w.atom("STORAGE").number((mailbox.usedBytes() + 1023) / 1024).number(limit / 1024);
        w.endList().endLine();
    }
}
