package dev.postvault.imap.render;

import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.EnvelopeAddress;
import java.util.List;

/** RFC 9051 §7.5.2 ENVELOPE: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id. */
public final class EnvelopeRenderer {
    private EnvelopeRenderer() {}

    public static void write(ImapResponseWriter w, Envelope e) {
        w.beginList();
        w.nstring(e.date());
        w.nstring(e.subject());
        addresses(w, e.from());
        addresses(w, e.sender());
        addresses(w, e.replyTo());
        addresses(w, e.to());
        addresses(w, e.cc());
        addresses(w, e.bcc());
        w.nstring(e.inReplyTo());
        w.nstring(e.messageId());
        w.endList();
    }

    /** RFC 9051 §9 env-from etc.: NIL or a list of address structures; groups per RFC 3501 §7.4.2. */
    private static void addresses(ImapResponseWriter w, List<EnvelopeAddress> list) {
        if (list.isEmpty()) {
            w.nil();
            return;
        }
        w.beginList();
        for (EnvelopeAddress a : list) {
            // RFC 3501 §7.4.2: (name adl mailbox host); a group start is (NIL NIL name NIL) and its
            // end (NIL NIL NIL NIL), which the address model already provides in these four fields.
            w.beginList().nstring(a.imapName()).nstring(a.imapAdl()).nstring(a.imapMailbox()).nstring(a.imapHost()).endList();
        }
        w.endList();
    }
}
