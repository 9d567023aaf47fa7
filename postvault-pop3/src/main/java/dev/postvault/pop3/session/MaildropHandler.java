package dev.postvault.pop3.session;

import dev.postvault.pop3.codec.DotStuffingOutputStream;
import dev.postvault.pop3.codec.Pop3Command;
import dev.postvault.pop3.codec.Pop3Writer;
import dev.postvault.pop3.codec.TopOutputStream;
import dev.postvault.store.StoreException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/** The TRANSACTION-state commands over a {@link Maildrop}: STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP. */
final class MaildropHandler {
    private final Maildrop drop;
    private final Pop3Writer w;
    private final String sessionId;

    MaildropHandler(Maildrop drop, Pop3Writer w, String sessionId) {
        this.sessionId = sessionId;
        this.drop = drop;
        this.w = w;
    }

    /** RFC 1939 §5 STAT: count and size of the messages not marked deleted. */
    void stat() {
        w.ok(drop.liveCount() + " " + drop.liveOctets());
    }

    /** RFC 1939 §5 LIST. */
    void list(OptionalInt n) {
        if (n.isPresent()) {
            message(n.getAsInt()).ifPresent(m -> w.ok(m.number() + " " + m.size()));
            return;
        }
        w.ok(drop.liveCount() + " messages (" + drop.liveOctets() + " octets)");
        for (Maildrop.Message m : drop.live()) w.line(m.number() + " " + m.size());
        w.end();
    }

    /** RFC 1939 §7 UIDL. */
    void uidl(OptionalInt n) {
        if (n.isPresent()) {
            message(n.getAsInt()).ifPresent(m -> w.ok(m.number() + " " + m.uidl()));
            return;
        }
        w.ok("Unique-ID listing follows");
        for (Maildrop.Message m : drop.live()) w.line(m.number() + " " + m.uidl());
        w.end();
    }

    /** RFC 1939 §5 RETR: the whole message, streamed and dot-stuffed. */
    void retr(Pop3Command.Retr r) throws IOException {
        Optional<Maildrop.Message> m = message(r.message());
        if (m.isPresent()) send(m.get(), "+OK " + m.get().size() + " octets", Optional.empty());
    }

    /** RFC 1939 §7 TOP: the header, the blank line, and the first n lines of the body. */
    void top(Pop3Command.Top t) throws IOException {
        Optional<Maildrop.Message> m = message(t.message());
        if (m.isPresent()) send(m.get(), "+OK Top of message follows", Optional.of(t.lines()));
    }

    /** RFC 1939 §5 DELE: only marks; UPDATE removes. */
    void dele(int n) {
        if (drop.exists(n) && drop.isDeleted(n)) {
            w.err("Message " + n + " already deleted");
            return;
        }
        if (message(n).isPresent()) {
            drop.delete(n);
            w.ok("Message " + n + " deleted");
        }
    }

    /** RFC 1939 §5 RSET. */
    void rset() {
        drop.undeleteAll();
        w.ok("Maildrop has " + drop.liveCount() + " messages (" + drop.liveOctets() + " octets)");
    }

    /** The message, or -ERR already written. */
    private Optional<Maildrop.Message> message(int n) {
        Optional<Maildrop.Message> m = drop.live(n);
        if (m.isEmpty()) w.err(drop.exists(n) ? "Message " + n + " is deleted" : "No such message");
        return m;
    }

    /**
     * Streams a message. The "+OK" line goes out only with the first content byte, so a message that
     * vanished (expunged over IMAP) or cannot be read is still answered "-ERR". A failure after that
     * cannot be reported in band: the connection is closed, and the missing final dot tells the
     * client the response is incomplete.
     */
    private void send(Maildrop.Message m, String status, Optional<Integer> topLines) throws IOException {
        var head = new StatusFirst(w.raw(), status);
        var dots = new DotStuffingOutputStream(head);
        OutputStream body = topLines.isPresent() ? new TopOutputStream(dots, topLines.get()) : dots;
        try {
            drop.write(m, body);
        } catch (StoreException e) {
            if (head.sent) throw new IOException("message " + m.number() + " could not be sent whole", e);
            w.err(StoreErrors.code(e), StoreErrors.text(e, sessionId));
            return;
        }
        head.sendIfPending();
        dots.finish();
        w.end();
    }

    /** Holds back a status line until the first byte after it. */
    private static final class StatusFirst extends FilterOutputStream {
        private final byte[] line;
        boolean sent;

        StatusFirst(OutputStream out, String status) {
            super(out);
            this.line = (status + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        void sendIfPending() throws IOException {
            if (!sent) {
                out.write(line);
                sent = true;
            }
        }

        @Override
        public void write(int b) throws IOException {
            sendIfPending();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sendIfPending();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            // Only the session flushes the connection, between responses.
        }
    }
}
