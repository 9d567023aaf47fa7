package dev.postvault.imap.session;

import dev.postvault.crypto.Bytes;
import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapCommandReader;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.ImapState;
import dev.postvault.imap.codec.LiteralContinuation;
import dev.postvault.imap.codec.ReadResult;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.imap.codec.ResponseStatus;
import dev.postvault.net.ClientConnection;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.OpenMailbox;
import dev.postvault.store.events.ChangeEvent;
import dev.postvault.store.mailbox.Mailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection, run start to end on its own virtual thread with plain blocking I/O.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>Commands arrive fully parsed ({@link ImapCommandReader}); the reader has already refused
 *       commands not allowed in the current state, using the codec's command table.</li>
 *   <li>Every {@link StoreException} is mapped in {@link StoreErrors}; any other exception becomes
 *       {@code NO [SERVERBUG]} with a correlation id that also appears in the log. No stack trace,
 *       address or password reaches the client or the log.</li>
 *   <li>New mail is announced (EXISTS) only between commands, never in the middle of one.</li>
 *   <li>Login goes through the store's one login path ({@link dev.postvault.store.account.Logins}),
 *       which also keeps the spool drained into the mailbox; the session only hears of the alias's
 *       changes, which mark its view stale.</li>
 * </ul>
 */
public final class ImapSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final ClientConnection conn;
    private final ImapContext ctx;
    private final boolean implicitTls;
    private final String id = Bytes.hex(Bytes.random(6));
    private ImapCommandReader reader;
    private ImapResponseWriter writer;
    private ImapState state = ImapState.NOT_AUTHENTICATED;
    private OpenMailbox login;
    private Mailbox mailbox;
    private SelectedFolder selected;
    private int failedLogins;
    private final AtomicBoolean stale = new AtomicBoolean();
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
    private final Object idleLock = new Object();
    private boolean idling;
    private boolean condstore;
    private boolean qresync;
    private boolean rev2;
    private boolean heldExpunges;
    private final dev.postvault.net.CommandRate commandRate;

    public ImapSession(ClientConnection conn, ImapContext ctx, boolean implicitTls) {
        this.conn = conn;
        this.ctx = ctx;
        this.implicitTls = implicitTls;
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

    private void loop() throws IOException {
        while (true) {
            // Built per command: STARTTLS and COMPRESS replace the writer, and a continuation request
            // written to the old one would bypass TLS or the compressor (RFC 4978 §3).
            ReadResult r = reader.read(state, LiteralContinuation.writingTo(writer));
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
                    announceBefore(t.command());
                    boolean go = dispatch(t.tag(), t.command());
                    writer.flush();
                    if (!go) return;
                }
            }
        }
    }

    /** RFC 9051 §6.4.4: RECENT, NEW and OLD are IMAP4rev1 search keys only. */
    private boolean rev1Only(String tag) {
        writer.bad(tag, "RECENT, NEW and OLD are not IMAP4rev2 search keys");
        return true;
    }

    /** Paces a client that sends commands faster than the configured rate (its command waits). */
    private void pace() {
        try {
            commandRate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Executes one command; returns false when the connection should close. */
    private boolean dispatch(String tag, ImapCommand command) throws IOException {
        try {
            return switch (command) {
                case ImapCommand.Capability c -> {
                    writer.beginUntagged().atom("CAPABILITY");
                    Capabilities.of(this).forEach(writer::atom);
                    writer.endLine();
                    writer.ok(tag, "CAPABILITY completed");
                    yield true;
                }
                case ImapCommand.Noop n -> {
                    announceChanges(true);
                    writer.ok(tag, "NOOP completed");
                    yield true;
                }
                case ImapCommand.Logout l -> {
                    writer.bye("Logging out");
                    writer.ok(tag, "LOGOUT completed");
                    yield false;
                }
                case ImapCommand.Id i -> {
                    // RFC 2971 §3.1; no version number, which would only help attackers.
                    writer.beginUntagged().atom("ID").beginList().string("name").string("Postvault").endList().endLine();
                    writer.ok(tag, "ID completed");
                    yield true;
                }
                case ImapCommand.StartTls s -> startTls(tag);
                case ImapCommand.Login l -> authenticate(tag, AuthHandler.login(l));
                case ImapCommand.Authenticate a -> {
                    if (!plaintextAuthAllowed()) {
                        writer.no(tag, ResponseCode.Simple.PRIVACYREQUIRED, "Use TLS first");
                        yield true;
                    }
                    yield authenticate(tag, AuthHandler.authenticate(a, reader, writer));
                }
                case ImapCommand.ListMailboxes l -> {
                    ListHandler.list(writer, tag, l, mailbox, appendLimitBytes());
                    yield true;
                }
                case ImapCommand.Lsub l -> {
                    ListHandler.lsub(writer, tag, l, mailbox);
                    yield true;
                }
                case ImapCommand.Select s -> select(tag, s.mailbox(), false, s.parameters());
                case ImapCommand.Examine e -> select(tag, e.mailbox(), true, e.parameters());
                case ImapCommand.Fetch f -> {
                    FetchHandler.fetch(writer, conn.out(), tag, f, mailbox, selected);
                    yield true;
                }
                case ImapCommand.Enable c -> {
                    // RFC 5161 §3.1: only extensions this server implements are enabled and listed.
                    writer.beginUntagged().atom("ENABLED");
                    for (String cap : c.capabilities()) {
                        if (cap.equalsIgnoreCase("QRESYNC")) {
                            // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
                            qresync = true;
                            condstore = true;
                            writer.atom("QRESYNC");
                        }
                        if (cap.equalsIgnoreCase("CONDSTORE")) {
                            condstore = true; // RFC 7162 §3.1: flag updates carry MODSEQ from now on
                            if (selected != null) selected.condstore = true;
                            writer.atom("CONDSTORE");
                        }
                        if (cap.equalsIgnoreCase("IMAP4rev2")) {
                            // RFC 9051 §6.3.1: rev2 semantics from now on; mailbox names travel as UTF-8.
                            rev2 = true;
                            if (!reader.utf8Enabled()) {
                                reader.enableUtf8();
                                writer.enableUtf8();
                            }
                            writer.atom("IMAP4rev2");
                        }
                        if (cap.equalsIgnoreCase("UTF8=ACCEPT")) {
                            // RFC 6855 §3: UTF-8 in quoted strings and mailbox names from now on.
                            if (!reader.utf8Enabled()) {
                                reader.enableUtf8();
                                writer.enableUtf8();
                            }
                            writer.atom("UTF8=ACCEPT");
                        }
                    }
                    writer.endLine();
                    writer.ok(tag, "ENABLE completed");
                    yield true;
                }
                case ImapCommand.Create c -> {
                    MailboxHandler.create(writer, tag, c, mailbox);
                    yield true;
                }
                case ImapCommand.Delete c -> {
                    MailboxHandler.delete(writer, tag, c, mailbox);
                    yield true;
                }
                case ImapCommand.Rename c -> {
                    MailboxHandler.rename(writer, tag, c, mailbox);
                    yield true;
                }
                case ImapCommand.Subscribe c -> {
                    MailboxHandler.subscribe(writer, tag, c.mailbox(), true, mailbox);
                    yield true;
                }
                case ImapCommand.Unsubscribe c -> {
                    MailboxHandler.subscribe(writer, tag, c.mailbox(), false, mailbox);
                    yield true;
                }
                case ImapCommand.Namespace c -> {
                    MailboxHandler.namespace(writer, tag);
                    yield true;
                }
                case ImapCommand.Status c -> {
                    // RFC 9051 §6.3.11: IMAP4rev2 has no RECENT status item.
                    if (rev2 && c.items().contains(dev.postvault.imap.codec.StatusItem.RECENT)) {
                        writer.bad(tag, "RECENT is not an IMAP4rev2 status item");
                        yield true;
                    }
                    MailboxHandler.status(writer, tag, c, mailbox, ctx.config().limits().maxLiteralBytes());
                    yield true;
                }
                case ImapCommand.Append c -> {
                    AppendHandler.append(writer, tag, c, mailbox, () -> announceChanges(true));
                    yield true;
                }
                case ImapCommand.Idle c -> idle(tag);
                case ImapCommand.Check c -> {
                    announceChanges(true);
                    writer.ok(tag, "CHECK completed");
                    yield true;
                }
                case ImapCommand.Expunge c -> {
                    expunge(tag, Optional.empty(), "EXPUNGE");
                    yield true;
                }
                case ImapCommand.UidExpunge c -> {
                    Set<Long> uids = new HashSet<>();
                    selected.resolve(c.uids(), true).forEach(n -> uids.add(n.meta().uid()));
                    expunge(tag, Optional.of(uids), "UID EXPUNGE");
                    yield true;
                }
                case ImapCommand.Store c -> {
                    StoreHandler.store(writer, tag, c, mailbox, selected);
                    yield true;
                }
                case ImapCommand.Copy c -> {
                    CopyMoveHandler.copyOrMove(writer, tag, c.uid(), false, c.sequenceSet(), c.mailbox(), mailbox, selected, () -> announceChanges(false));
                    yield true;
                }
                case ImapCommand.Move c -> {
                    CopyMoveHandler.copyOrMove(writer, tag, c.uid(), true, c.sequenceSet(), c.mailbox(), mailbox, selected, () -> announceChanges(false));
                    yield true;
                }
                case ImapCommand.Close c -> {
                    // RFC 9051 §6.4.1: expunge silently (no EXPUNGE responses), unless selected read-only.
                    if (!selected.readOnly) mailbox.expungeDeleted(selected.folder.id(), Optional.empty());
                    unselect();
                    writer.ok(tag, "CLOSE completed");
                    yield true;
                }
                case ImapCommand.Unselect c -> {
                    unselect(); // RFC 3691: like CLOSE without the expunge
                    writer.ok(tag, "UNSELECT completed");
                    yield true;
                }
                case ImapCommand.GetQuota c -> {
                    QuotaHandler.getQuota(writer, tag, c, mailbox);
                    yield true;
                }
                case ImapCommand.GetQuotaRoot c -> {
                    QuotaHandler.getQuotaRoot(writer, tag, c, mailbox);
                    yield true;
                }
                case ImapCommand.SetQuota c -> {
                    QuotaHandler.setQuota(writer, tag);
                    yield true;
                }
                case ImapCommand.Compress c -> {
                    if (!c.mechanism().equalsIgnoreCase("DEFLATE")) {
                        writer.bad(tag, "Unknown compression mechanism");
                    } else if (conn.isCompressed()) {
                        writer.no(tag, ResponseCode.Simple.COMPRESSIONACTIVE, "Compression is already active");
                    } else {
                        writer.ok(tag, "DEFLATE active"); // RFC 4978 §3: the last uncompressed response
                        writer.flush();
                        conn.startCompression(reader.takeBufferedBytes().toByteArray());
                        boolean utf8 = reader.utf8Enabled();
                        streams();
                        if (utf8) {
                            reader.enableUtf8();
                            writer.enableUtf8();
                        }
                    }
                    yield true;
                }
                case ImapCommand.Search c -> {
                    if (rev2 && SearchHandler.usesRecent(c.key())) yield rev1Only(tag);
                    SearchHandler.search(writer, tag, c, mailbox, selected, ctx.config().regexBudget());
                    yield true;
                }
                case ImapCommand.Sort c -> {
                    if (c.returnOptions().isPresent()) yield notYet(tag, "SORT RETURN (ESORT)");
                    if (rev2 && SearchHandler.usesRecent(c.key())) yield rev1Only(tag);
                    SortHandler.sort(writer, tag, c, mailbox, selected, ctx.config().regexBudget());
                    yield true;
                }
                case ImapCommand.ThreadMessages c -> {
                    if (rev2 && SearchHandler.usesRecent(c.key())) yield rev1Only(tag);
                    ThreadHandler.thread(writer, tag, c, mailbox, selected, ctx.config().regexBudget());
                    yield true;
                }
            };
        } catch (StoreException e) {
            StoreErrors.respond(writer, tag, e, id);
            return true;
        } catch (SearchHandler.RegexTimeout e) {
            // RFC 5530 §3 LIMIT: the server's own bound on regular-expression work was reached.
            writer.no(tag, ResponseCode.Simple.LIMIT, "Regular expression search took longer than " + ctx.config().regexBudget().toMillis() + " ms");
            return true;
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            String ref = Bytes.hex(Bytes.random(4));
            LOG.error("session {} command failed, ref {}", id, ref, e);
            writer.no(tag, ResponseCode.Simple.SERVERBUG, "Internal error, reference " + ref);
            return true;
        }
    }

    private boolean notYet(String tag, String name) {
        writer.bad(tag, name + " is not supported by this server yet");
        return true;
    }

    private boolean startTls(String tag) throws IOException {
        if (ctx.tls().isEmpty() || conn.isTls()) {
            writer.bad(tag, "STARTTLS not available");
            return true;
        }
        writer.ok(tag, "Begin TLS negotiation now");
        writer.flush();
        // RFC 9051 §6.2.1: anything the client pipelined after STARTTLS is discarded.
        reader.takeBufferedBytes();
        conn.startTls(ctx.tls().get());
        streams();
        return true;
    }

    boolean plaintextAuthAllowed() {
        return conn.isTls() || (ctx.config().plaintextAuthOnLoopback() && conn.isLoopback());
    }

    boolean isTls() {
        return conn.isTls();
    }

    boolean startTlsAvailable() {
        return ctx.tls().isPresent() && !conn.isTls();
    }

    boolean literalPlus() {
        return ctx.config().limits().literalPlus();
    }

    long appendLimitBytes() {
        return ctx.config().limits().maxLiteralBytes();
    }

    ImapState state() {
        return state;
    }

    private boolean authenticate(String tag, AuthHandler.Outcome outcome) throws IOException {
        switch (outcome) {
            case AuthHandler.Outcome.Failed f -> {
                if (f.bad()) writer.bad(tag, f.message());
                else writer.no(tag, f.message());
                return true;
            }
            case AuthHandler.Outcome.Ok ok -> {
                if (!plaintextAuthAllowed()) {
                    writer.no(tag, ResponseCode.Simple.PRIVACYREQUIRED, "Use TLS first");
                    return true;
                }
                try {
                    login = ctx.logins().open(ok.credentials().user(), ok.credentials().password(), conn.remoteAddress());
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.AUTHENTICATION_FAILED) throw e;
                    return loginFailed(tag);
                }
                mailbox = login.mailbox();
                login.onChange(this::onChange);
                state = ImapState.AUTHENTICATED;
                conn.timeout(ctx.config().idleTimeout());
                LOG.info("session {} authenticated alias {}", id, login.alias().id());
                writer.ok(tag, new ResponseCode.Capability(Capabilities.of(this)), "Logged in");
                return true;
            }
        }
    }

    /**
     * After a few failures on one connection the connection is closed (the login path has already
     * held the answer back by the node-wide throttle's delay for this client network).
     */
    private boolean loginFailed(String tag) {
        failedLogins++;
        LOG.info("session {} failed login {} from {}", id, failedLogins, conn.remoteIp());
        writer.no(tag, ResponseCode.Simple.AUTHENTICATIONFAILED, "Authentication failed");
        if (failedLogins >= ctx.config().maxFailedLogins()) {
            writer.bye("Too many failed logins");
            return false;
        }
        return true;
    }

    private boolean select(String tag, String name, boolean readOnly, dev.postvault.imap.codec.SelectParameters params) {
        if (params.condStore()) condstore = true; // RFC 7162 §3.1.8: SELECT (CONDSTORE) enables it
        if (params.qresync().isPresent() && !qresync) {
            // RFC 7162 §3.2.5: QRESYNC parameters are only valid once QRESYNC is enabled.
            writer.bad(tag, "Enable QRESYNC first");
            return true;
        }
        if (selected != null) {
            condstore |= selected.condstore;
            // RFC 9051 §6.3.2 and RFC 7162 §3.2.11: say where the old mailbox's responses end.
            if (rev2 || qresync) writer.untaggedStatus(ResponseStatus.OK, Optional.of(ResponseCode.Simple.CLOSED), "Previous mailbox closed");
        }
        selected = null;
        state = ImapState.AUTHENTICATED;
        SelectedFolder sel = SelectHandler.select(writer, tag, name, readOnly, mailbox, params.qresync(), qresync, rev2);
        sel.condstore = condstore;
        sel.qresync = qresync;
        selected = sel;
        state = ImapState.SELECTED;
        return true;
    }

    private void unselect() {
        selected = null;
        state = ImapState.AUTHENTICATED;
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

    /**
     * RFC 9051 §7: tell the client what changed in the selected folder. EXPUNGE may not be sent
     * during FETCH, STORE or SEARCH (§7.5.1); those removals wait for a later command.
     */
    private void announceChanges(boolean mayExpunge) {
        if (selected == null) return;
        if (!stale.getAndSet(false) && !(mayExpunge && heldExpunges)) return;
        selected.announce(mailbox, writer, mayExpunge);
        heldExpunges = !mayExpunge;
    }

    /**
     * Pending changes are announced before a command runs. An EXPUNGE renumbers messages, so it may
     * precede only commands that take no sequence numbers; before FETCH, STORE, SEARCH, COPY and MOVE
     * (and their UID forms) removals are held back and only EXISTS and FLAGS go out.
     */
    private void announceBefore(ImapCommand command) {
        if (selected == null) return;
        boolean mayExpunge = switch (command) {
            case ImapCommand.Fetch f -> false;
            case ImapCommand.Store s -> false;
            case ImapCommand.Search s -> false;
            case ImapCommand.Sort s -> false;
            case ImapCommand.ThreadMessages t -> false;
            case ImapCommand.Copy c -> false;
            case ImapCommand.Move m -> false;
            default -> true;
        };
        announceChanges(mayExpunge);
    }

    private void expunge(String tag, Optional<Set<Long>> uids, String verb) {
        if (selected.readOnly) {
            writer.no(tag, ResponseCode.Simple.READ_ONLY, "Mailbox is read-only");
            return;
        }
        List<Long> gone = mailbox.expungeDeleted(selected.folder.id(), uids);
        selected.expunged(gone, writer);
        writer.ok(tag, verb + " completed");
    }

    /**
     * RFC 2177 / RFC 9051 §6.3.13: while the client idles, a virtual thread waits for change events
     * and pushes EXISTS, EXPUNGE and FETCH FLAGS at once; the session thread waits for DONE.
     */
    private boolean idle(String tag) throws IOException {
        announceChanges(true);
        writer.continuation("idling");
        writer.flush();
        Thread pusher = Thread.ofVirtual().name("idle-" + id).start(() -> {
            while (true) {
                try {
                    wake.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                wake.drainPermits();
                synchronized (idleLock) {
                    if (!idling) return;
                    try {
                        announceChanges(true);
                        writer.flush();
                    } catch (RuntimeException e) {
                        return; // the connection is gone; the session thread sees it too
                    }
                }
            }
        });
        synchronized (idleLock) {
            idling = true;
        }
        if (stale.get()) wake.release();
        dev.postvault.imap.codec.IdleEnd end;
        try {
            end = reader.readIdleDone();
        } finally {
            synchronized (idleLock) {
                idling = false;
            }
            pusher.interrupt();
            try {
                pusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return switch (end) {
            case dev.postvault.imap.codec.IdleEnd.Done d -> {
                announceChanges(true);
                writer.ok(tag, "IDLE terminated");
                yield true;
            }
            case dev.postvault.imap.codec.IdleEnd.NotDone n -> {
                writer.bad(tag, "Expected DONE");
                yield true;
            }
            case dev.postvault.imap.codec.IdleEnd.EndOfStream e -> false;
        };
    }

    private void closeMailbox() {
        if (login != null) login.close();
        login = null;
        mailbox = null;
    }
}
