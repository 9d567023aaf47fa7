package dev.postvault.imap.session;

import dev.postvault.crypto.Bytes;
import dev.postvault.imap.ImapConfig;
import dev.postvault.imap.codec.ImapCommandReader;
import dev.postvault.imap.codec.ImapCommandSpec;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ImapState;
import dev.postvault.imap.codec.LiteralContinuation;
import dev.postvault.imap.codec.ReadResult;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.ResponseStatus;
import dev.postvault.net.ClientConnection;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Logins;
import dev.postvault.store.account.OpenMailbox;
import dev.postvault.store.events.ChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection, run start to end on its own virtual thread with plain blocking I/O: read a
 * command, announce what changed, hand it to its handler ({@link Dispatch}), flush.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>Commands arrive fully parsed ({@link ImapCommandReader}); the reader has already refused
 *       commands not allowed in the current state, using the codec's command table.</li>
 *   <li>The state is a {@link SessionState}: what a command may use is what its state holds. Handlers
 *       change it only through {@link #loggedIn}, {@link #selected} and {@link #unselect}.</li>
 *   <li>Every {@link StoreException} is mapped in {@link StoreErrors}; any other exception becomes
 *       {@code NO [SERVERBUG]} with a correlation id that also appears in the log. No stack trace,
 *       address or password reaches the client or the log.</li>
 *   <li>New mail is announced (EXISTS) only between commands, never in the middle of one; EXPUNGE
 *       waits for the commands the command table says hold it ({@link ImapCommandSpec#holdsExpunges()}).</li>
 *   <li>Login goes through the store's one login path ({@link Logins}), which also keeps the spool
 *       drained into the mailbox; the session only hears of the alias's changes, which mark its view
 *       stale.</li>
 * </ul>
 */
public final class ImapSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final ClientConnection conn;
    private final ImapContext ctx;
    private final String id = Bytes.hex(Bytes.random(6));
    private final dev.postvault.net.CommandRate commandRate;
    private final Extensions enabled = new Extensions();
    private ImapCommandReader reader;
    private ImapResponseWriter writer;
    private SessionState state = new SessionState.NotAuthenticated();
    private int failedLogins;
    /** Set by other sessions' changes; the view is brought up to date before the next command. */
    private final AtomicBoolean stale = new AtomicBoolean();
    /** Released on every change, for IDLE's pusher. */
    private final Semaphore wake = new Semaphore(0);
    /** Removals not yet announced because the commands since then hold them back. */
    private boolean heldExpunges;

    public ImapSession(ClientConnection conn, ImapContext ctx) {
        this.conn = conn;
        this.ctx = ctx;
        this.commandRate = new dev.postvault.net.CommandRate(ctx.config().commandRate());
        streams();
    }

    private void streams() {
        reader = new ImapCommandReader(conn.in(), ctx.config().limits());
        writer = new ImapResponseWriter(conn.out());
    }

    @Override
    public void run() {
        try {
            conn.timeout(ctx.config().preAuthTimeout());
            writer.untaggedStatus(ResponseStatus.OK, Optional.of(new ResponseCode.Capability(Capabilities.of(this))),
                    ctx.config().hostname() + " Postvault ready");
            writer.flush();
            loop();
        } catch (UncheckedIOException | IOException e) {
            if (ClientConnection.timedOut(e)) {
                try {
                    writer.bye("Autologout; idle for too long");
                    writer.flush();
                } catch (RuntimeException ignored) {
                    // the peer is gone
                }
            }
            LOG.debug("session {} ended: {}", id, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("session {} failed", id, e);
        } finally {
            closeMailbox();
            conn.close();
        }
    }

    private void loop() {
        while (true) {
            // Built per command: STARTTLS and COMPRESS replace the writer, and a continuation request
            // written to the old one would bypass TLS or the compressor (RFC 4978 §3).
            ReadResult r = reader.read(state.name(), LiteralContinuation.writingTo(writer));
            switch (r) {
                case ReadResult.EndOfStream ignored -> {
                    return;
                }
                case ReadResult.ParseError e -> {
                    writer.parseError(e);
                    writer.flush();
                    if (e.fatal()) return;
                }
                case ReadResult.TaggedCommand t -> {
                    pace();
                    Next next = execute(t);
                    writer.flush();
                    if (next == Next.CLOSE) return;
                }
            }
        }
    }

    /** Paces a client that sends commands faster than the configured rate (its command waits). */
    private void pace() {
        try {
            commandRate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one command's handler; every failure but a lost connection becomes a tagged answer. */
    private Next execute(ReadResult.TaggedCommand t) {
        String tag = t.tag();
        try {
            // Inside the error mapping: bringing the view up to date reads (and may claim \Recent),
            // and a store that fails there (a full disk) answers this command, not the connection.
            announceChanges(!t.spec().holdsExpunges());
            return Dispatch.run(new Exchange(this, tag), t.command());
        } catch (StoreException e) {
            StoreErrors.respond(writer, tag, e, id);
        } catch (SearchHandler.RegexTimeout e) {
            // RFC 5530 §3 LIMIT: the server's own bound on regular-expression work was reached.
            writer.no(tag, ResponseCode.Simple.LIMIT, "Regular expression search took longer than " + ctx.config().regexBudget().toMillis() + " ms");
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            String ref = Bytes.hex(Bytes.random(4));
            LOG.error("session {} command {} failed, ref {}", id, t.spec().commandName(), ref, e);
            writer.no(tag, ResponseCode.Simple.SERVERBUG, "Internal error, reference " + ref);
        }
        return Next.CONTINUE;
    }

    // ---- what handlers may ask of the session (through their Exchange) --------------------------

    String id() {
        return id;
    }

    ImapConfig config() {
        return ctx.config();
    }

    Logins logins() {
        return ctx.logins();
    }

    ImapResponseWriter writer() {
        return writer;
    }

    ImapCommandReader reader() {
        return reader;
    }

    /** The connection's output under the writer, for FETCH to stream message bodies. */
    java.io.OutputStream rawOut() {
        return conn.out();
    }

    Extensions enabled() {
        return enabled;
    }

    SessionState state() {
        return state;
    }

    ImapState stateName() {
        return state.name();
    }

    InetAddress remoteAddress() {
        return conn.remoteAddress();
    }

    boolean plaintextAuthAllowed() {
        return conn.isTls() || (ctx.config().plaintextAuthOnLoopback() && conn.isLoopback());
    }

    boolean startTlsAvailable() {
        return ctx.tls().isPresent() && !conn.isTls();
    }

    boolean compressed() {
        return conn.isCompressed();
    }

    boolean literalPlus() {
        return ctx.config().limits().literalPlus();
    }

    long appendLimitBytes() {
        return ctx.config().limits().maxLiteralBytes();
    }

    /** After the tagged OK: the TLS handshake, with whatever the client pipelined discarded (RFC 9051 §6.2.1). */
    void startTls() {
        writer.flush();
        reader.takeBufferedBytes();
        try {
            conn.startTls(ctx.tls().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        streams();
    }

    /** After the tagged OK: both directions deflated from the next octet on (RFC 4978 §3). */
    void startCompression() {
        writer.flush();
        conn.startCompression(reader.takeBufferedBytes().toByteArray());
        boolean utf8 = reader.utf8Enabled();
        streams();
        if (utf8) enableUtf8();
    }

    /** UTF-8 in quoted strings and mailbox names from now on (RFC 6855 §3, RFC 9051). */
    void enableUtf8() {
        if (reader.utf8Enabled()) return;
        reader.enableUtf8();
        writer.enableUtf8();
    }

    /** Counts a failed login; true when the connection should now be closed. */
    boolean failedLogin() {
        failedLogins++;
        LOG.info("session {} failed login {} from {}", id, failedLogins, conn.remoteIp());
        return failedLogins >= ctx.config().maxFailedLogins();
    }

    void loggedIn(OpenMailbox login) {
        login.onChange(this::onChange);
        state = new SessionState.Authenticated(login);
        try {
            conn.timeout(ctx.config().idleTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("session {} authenticated alias {}", id, login.alias().id());
    }

    void selected(SelectedFolder folder) {
        state = switch (state) {
            case SessionState.Authenticated a -> a.select(folder);
            case SessionState.Selected s -> s.unselect().select(folder);
            case SessionState.NotAuthenticated n -> throw new IllegalStateException("not logged in");
        };
        heldExpunges = false;
    }

    void unselect() {
        if (state instanceof SessionState.Selected s) state = s.unselect();
        heldExpunges = false;
    }

    /**
     * RFC 9051 §7: tell the client what changed in the selected folder. EXPUNGE may not be sent
     * during FETCH, STORE or SEARCH (§7.5.1); those removals wait for a later command.
     */
    void announceChanges(boolean mayExpunge) {
        if (!(state instanceof SessionState.Selected s)) return;
        if (!stale.getAndSet(false) && !(mayExpunge && heldExpunges)) return;
        try {
            s.folder().announce(s.login().mailbox(), writer, mayExpunge);
        } catch (RuntimeException e) {
            stale.set(true); // not announced: the next command tries again
            throw e;
        }
        heldExpunges = !mayExpunge;
    }

    /** Blocks until some change arrives (for IDLE's pusher). */
    void awaitChange() throws InterruptedException {
        wake.acquire();
        wake.drainPermits();
    }

    /** Runs on the publisher's thread: only record and hand off, never block. */
    private void onChange(ChangeEvent e) {
        switch (e) {
            case ChangeEvent.SpoolArrived s -> { } // the login's spool feed drains it; MessagesAdded follows
            case ChangeEvent.MessagesAdded a -> changed();
            case ChangeEvent.FlagsChanged f -> changed();
            case ChangeEvent.MessagesExpunged x -> changed();
            case ChangeEvent.FoldersChanged f -> { }
            case ChangeEvent.MailboxWithdrawn w -> {
                LOG.info("session {} ends: its mailbox is being restored", id);
                conn.close(); // the blocked read fails and the session ends; the client reconnects later
            }
        }
    }

    private void changed() {
        stale.set(true);
        wake.release();
    }

    private void closeMailbox() {
        switch (state) {
            case SessionState.Authenticated a -> a.login().close();
            case SessionState.Selected s -> s.login().close();
            case SessionState.NotAuthenticated n -> { }
        }
        state = new SessionState.NotAuthenticated();
    }
}
