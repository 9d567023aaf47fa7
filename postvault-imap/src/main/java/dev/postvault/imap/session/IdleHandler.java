package dev.postvault.imap.session;

import dev.postvault.imap.codec.IdleEnd;
import dev.postvault.imap.codec.ImapCommand;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): while the client idles, a virtual thread waits for the alias's
 * change events and pushes EXISTS, EXPUNGE and FETCH FLAGS at once; the session thread waits for
 * DONE. The two never write at the same time.
 */
final class IdleHandler {
    private IdleHandler() {}

    static Next idle(Exchange x, ImapCommand.Idle c) {
        ImapSession session = x.session();
        x.announce(true);
        x.out().continuation("idling");
        x.out().flush();
        Object writing = new Object();
        boolean[] idling = {true}; // guarded by writing
        Thread pusher = Thread.ofVirtual().name("idle-" + session.id()).start(() -> {
            while (true) {
                try {
                    session.awaitChange();
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (writing) {
                    if (!idling[0]) return;
                    try {
                        x.announce(true);
                        x.out().flush();
                    } catch (RuntimeException e) {
                        return; // the connection is gone; the session thread sees it too
                    }
                }
            }
        });
        IdleEnd end;
        try {
            end = session.reader().readIdleDone();
        } finally {
            synchronized (writing) {
                idling[0] = false;
            }
            pusher.interrupt();
            try {
                pusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return switch (end) {
            case IdleEnd.Done d -> {
                x.announce(true);
                yield x.ok("IDLE terminated");
            }
            case IdleEnd.NotDone n -> x.bad("Expected DONE");
            case IdleEnd.EndOfStream e -> Next.CLOSE;
        };
    }
}
