package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ResponseCode;

/**
 * Commands about the connection rather than the mailbox: CAPABILITY, NOOP, LOGOUT, ID, CHECK
 * (RFC 9051 §6.1, RFC 2971, RFC 3501 §6.4.1), STARTTLS (§6.2.1), COMPRESS (RFC 4978) and ENABLE
 * (RFC 5161).
 */
final class ConnectionHandler {
    private ConnectionHandler() {}

    static Next capability(Exchange x, ImapCommand.Capability c) {
        ImapResponseWriter w = x.out();
        w.beginUntagged().atom("CAPABILITY");
        Capabilities.of(x.session()).forEach(w::atom);
        w.endLine();
        return x.ok("CAPABILITY completed");
    }

    static Next noop(Exchange x, ImapCommand.Noop c) {
        x.announce(true);
        return x.ok("NOOP completed");
    }

    /** RFC 3501 §6.4.1: nothing to do (every write is already durable); changes are announced. */
    static Next check(Exchange x, ImapCommand.Check c) {
        x.announce(true);
        return x.ok("CHECK completed");
    }

    static Next logout(Exchange x, ImapCommand.Logout c) {
        x.out().bye("Logging out");
        x.ok("LOGOUT completed");
        return Next.CLOSE;
    }

    /** RFC 2971 §3.1; no version number, which would only help attackers. */
    static Next id(Exchange x, ImapCommand.Id c) {
        x.out().beginUntagged().atom("ID").beginList().string("name").string("Postvault").endList().endLine();
        return x.ok("ID completed");
    }

    static Next startTls(Exchange x, ImapCommand.StartTls c) {
        if (!x.session().startTlsAvailable()) return x.bad("STARTTLS not available");
        x.ok("Begin TLS negotiation now");
        x.session().startTls(); // RFC 9051 §6.2.1: anything pipelined after STARTTLS is discarded
        return Next.CONTINUE;
    }

    static Next compress(Exchange x, ImapCommand.Compress c) {
        if (!c.mechanism().equalsIgnoreCase("DEFLATE")) return x.bad("Unknown compression mechanism");
        if (x.session().compressed()) {
            x.out().no(x.tag(), ResponseCode.Simple.COMPRESSIONACTIVE, "Compression is already active");
            return Next.CONTINUE;
        }
        x.ok("DEFLATE active"); // RFC 4978 §3: the last uncompressed response
        x.session().startCompression();
        return Next.CONTINUE;
    }

    /** RFC 5161 §3.1: only extensions this server implements are enabled and listed. */
    static Next enable(Exchange x, ImapCommand.Enable c) {
        ImapResponseWriter w = x.out();
        Extensions on = x.enabled();
        w.beginUntagged().atom("ENABLED");
        for (String cap : c.capabilities()) {
            if (cap.equalsIgnoreCase("QRESYNC")) {
                on.qresync = true; // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
                on.condstore = true;
                w.atom("QRESYNC");
            }
            if (cap.equalsIgnoreCase("CONDSTORE")) {
                on.condstore = true; // RFC 7162 §3.1: flag updates carry MODSEQ from now on
                w.atom("CONDSTORE");
            }
            if (cap.equalsIgnoreCase("IMAP4rev2")) {
                on.rev2 = true; // RFC 9051 §6.3.1: rev2 semantics from now on; mailbox names travel as UTF-8
                x.session().enableUtf8();
                w.atom("IMAP4rev2");
            }
            if (cap.equalsIgnoreCase("UTF8=ACCEPT")) {
                x.session().enableUtf8(); // RFC 6855 §3: UTF-8 in quoted strings and mailbox names from now on
                w.atom("UTF8=ACCEPT");
            }
        }
        w.endLine();
        return x.ok("ENABLE completed");
    }
}
