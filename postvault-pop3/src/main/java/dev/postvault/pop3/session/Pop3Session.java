package dev.postvault.pop3.session;

import dev.postvault.crypto.Bytes;
import dev.postvault.net.ClientConnection;
import dev.postvault.net.SaslPlain;
import dev.postvault.pop3.codec.Pop3Command;
import dev.postvault.pop3.codec.Pop3CommandParser;
import dev.postvault.pop3.codec.Pop3LineReader;
import dev.postvault.pop3.codec.Pop3State;
import dev.postvault.pop3.codec.Pop3Writer;
import dev.postvault.pop3.codec.ResponseCode;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.OpenMailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection, run start to end on its own virtual thread with plain blocking I/O.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>Each line is parsed completely ({@link Pop3CommandParser}, which also refuses commands not
 *       allowed in the current state) before anything is executed.</li>
 *   <li>Deletions reach the store only after QUIT in TRANSACTION (RFC 1939 §6). A connection that
 *       drops, times out or is closed for errors changes nothing.</li>
 *   <li>The maildrop lock is held from login to the end of the session; a second POP3 session of
 *       the alias gets {@code -ERR [IN-USE]} (RFC 2449 §8.1.1).</li>
 *   <li>Responses are flushed when no further pipelined command is waiting (RFC 2449 §6.6).</li>
 *   <li>Every {@link StoreException} is mapped in {@link StoreErrors}; anything else is logged with
 *       the session id and answered {@code -ERR [SYS/TEMP]}. No password, address or content is logged.</li>
 * </ul>
 */
public final class Pop3Session implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    /** How long a login waits for the maildrop of a session that is just ending. */
    private static final java.time.Duration IN_USE_WAIT = java.time.Duration.ofSeconds(1);

    private final ClientConnection conn;
    private final Pop3Context ctx;
    private final String id = Bytes.hex(Bytes.random(6));
    private final AuthHandler auth = new AuthHandler();
    private Pop3LineReader reader;
    private Pop3Writer writer;
    private Pop3State state = Pop3State.AUTHORIZATION;
    private OpenMailbox login;
    private MaildropHandler maildrop;
    private Maildrop drop;
    private boolean locked;
    private int failedLogins;
    private int errors;
    private final dev.postvault.net.CommandRate commandRate;

    public Pop3Session(ClientConnection conn, Pop3Context ctx) {
        this.conn = conn;
        this.ctx = ctx;
        this.commandRate = new dev.postvault.net.CommandRate(ctx.config().commandRate());
        streams();
    }

    private void streams() {
        reader = new Pop3LineReader(conn.in());
        writer = new Pop3Writer(conn.out());
    }

    @Override
    public void run() {
        try {
            conn.timeout(ctx.config().idleTimeout());
            writer.ok(ctx.config().hostname() + " Postvault POP3 ready"); // RFC 1939 §4; no APOP timestamp: APOP is not offered
            writer.flush();
            loop();
        } catch (UncheckedIOException | IOException e) {
            // RFC 1939 §3: an autologout timer expiring ends the session without entering UPDATE.
            if (ClientConnection.timedOut(e)) {
                try {
                    writer.err("Autologout; idle for too long");
                    writer.flush();
                } catch (RuntimeException ignored) {
                    // the peer is gone
                }
            }
            LOG.debug("session {} ended: {}", id, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("session {} failed", id, e);
        } finally {
            release();
        }
    }

    private void loop() throws IOException {
        while (true) {
            int max = ctx.config().maxLineBytes();
            boolean go = switch (reader.read(max)) {
                case Pop3LineReader.Line.EndOfStream e -> false;
                case Pop3LineReader.Line.TooLong l -> error("Line too long (the limit is " + max + " octets)");
                case Pop3LineReader.Line.InvalidUtf8 i -> error("Invalid UTF-8 in command");
                case Pop3LineReader.Line.Text t -> pace() && switch (Pop3CommandParser.parse(t.text(), state)) {
                    case Pop3CommandParser.Parsed.Error e -> error(e.message());
                    case Pop3CommandParser.Parsed.Command c -> execute(c.command());
                };
            };
            if (!conn.hasBufferedInput() || !go) writer.flush();
            if (!go) return;
        }
    }

    /** Paces a client that sends commands faster than the configured rate; always true. */
    private boolean pace() {
        try {
            commandRate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Answers a malformed, unknown or out-of-state command; too many of them end the connection. */
    private boolean error(String message) {
        auth.forgetUser();
        errors++;
        writer.err(message);
        if (errors >= ctx.config().maxErrors()) {
            writer.err("Too many errors, closing");
            return false;
        }
        return true;
    }

    private boolean execute(Pop3Command command) throws IOException {
        if (!(command instanceof Pop3Command.Pass)) auth.forgetUser();
        try {
            return switch (command) {
                case Pop3Command.Capa c -> {
                    capabilities();
                    yield true;
                }
                case Pop3Command.Stls s -> startTls();
                case Pop3Command.User u -> {
                    if (!plaintextAuthAllowed()) yield privacyRequired();
                    yield login(auth.user(u, writer));
                }
                case Pop3Command.Pass p -> {
                    if (!plaintextAuthAllowed()) yield privacyRequired();
                    yield login(auth.pass(p));
                }
                case Pop3Command.Auth a -> {
                    if (!plaintextAuthAllowed() && a.mechanism().isPresent()) yield privacyRequired();
                    yield login(auth.auth(a, reader, writer, ctx.config().maxSaslLineBytes()));
                }
                case Pop3Command.Quit q -> quit();
                case Pop3Command.Stat s -> {
                    maildrop.stat();
                    yield true;
                }
                case Pop3Command.ListMessages l -> {
                    maildrop.list(l.message());
                    yield true;
                }
                case Pop3Command.Uidl u -> {
                    maildrop.uidl(u.message());
                    yield true;
                }
                case Pop3Command.Retr r -> {
                    maildrop.retr(r);
                    yield true;
                }
                case Pop3Command.Top t -> {
                    maildrop.top(t);
                    yield true;
                }
                case Pop3Command.Dele d -> {
                    maildrop.dele(d.message());
                    yield true;
                }
                case Pop3Command.Rset r -> {
                    maildrop.rset();
                    yield true;
                }
                case Pop3Command.Noop n -> {
                    writer.ok("");
                    yield true;
                }
            };
        } catch (StoreException e) {
            writer.err(StoreErrors.code(e), StoreErrors.text(e, id));
            return true;
        } catch (UncheckedIOException e) {
            throw e; // the connection is gone
        } catch (RuntimeException e) {
            // Not the client's doing: logged with a reference the client sees too, and the session goes on.
            String ref = Bytes.hex(Bytes.random(4));
            LOG.error("session {} command failed, ref {}", id, ref, e);
            writer.err(ResponseCode.SYS_TEMP, "Internal error, reference " + ref);
            return true;
        }
    }

    /** RFC 2449 §5: what this session offers now; STLS, USER and SASL only before login. */
    private void capabilities() {
        writer.ok("Capability list follows");
        List<String> caps = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "PIPELINING"));
        if (state == Pop3State.AUTHORIZATION) {
            caps.add("AUTH-RESP-CODE");
            if (tlsAvailable()) caps.add("STLS");
            if (plaintextAuthAllowed()) {
                caps.add("USER");
                caps.add("SASL PLAIN");
            }
        }
        caps.add("EXPIRE NEVER"); // RFC 2449 §6.7: mail is kept until the user deletes it
        caps.add("IMPLEMENTATION Postvault");
        caps.forEach(writer::line);
        writer.end();
    }

    /** RFC 2595 §4. Pipelined bytes after STLS are dropped with the plaintext stream (no injection). */
    private boolean startTls() throws IOException {
        if (!tlsAvailable()) {
            writer.err(conn.isTls() ? "TLS is already active" : "TLS is not available");
            return true;
        }
        writer.ok("Begin TLS negotiation");
        writer.flush();
        conn.startTls(ctx.tls().get());
        streams();
        return true;
    }

    private boolean privacyRequired() {
        // RFC 2595 §4: no plaintext password before TLS. Dovecot answers the same way.
        writer.err(ResponseCode.AUTH, "Plaintext authentication is not allowed without TLS; use STLS first");
        return true;
    }

    private boolean login(AuthHandler.Outcome outcome) {
        return switch (outcome) {
            case AuthHandler.Outcome.Answered a -> true;
            case AuthHandler.Outcome.Refused r -> error(r.message());
            case AuthHandler.Outcome.Credentials c -> login(c.credentials());
        };
    }

    private boolean login(SaslPlain.Credentials credentials) {
        OpenMailbox opened;
        try {
            // The store's one login path: throttle, password, mailbox, and the spool drained into it.
            opened = ctx.logins().open(credentials.user(), credentials.password(), conn.remoteAddress());
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.AUTHENTICATION_FAILED) throw e;
            return loginFailed();
        }
        if (!ctx.locks().tryLock(opened.alias().id(), IN_USE_WAIT)) {
            opened.close();
            writer.err(ResponseCode.IN_USE, "Another POP3 session holds this maildrop");
            return true;
        }
        login = opened;
        locked = true;
        drop = Maildrop.of(login.mailbox());
        maildrop = new MaildropHandler(drop, writer, id);
        state = Pop3State.TRANSACTION;
        LOG.info("session {} authenticated alias {}", id, login.alias().id());
        writer.ok("Logged in; " + drop.liveCount() + " messages (" + drop.liveOctets() + " octets)");
        return true;
    }

    /** After a few failures the connection is closed (the login path already held the answer back by the throttle's delay). */
    private boolean loginFailed() {
        failedLogins++;
        LOG.info("session {} failed login {} from {}", id, failedLogins, conn.remoteIp());
        writer.err(ResponseCode.AUTH, "Authentication failed");
        if (failedLogins >= ctx.config().maxFailedLogins()) {
            writer.err("Too many failed logins, closing");
            return false;
        }
        return true;
    }

    /** RFC 1939 §4 (no changes before login) and §6 (UPDATE). */
    private boolean quit() {
        if (state == Pop3State.TRANSACTION) {
            int left = drop.update();
            releaseMaildrop(); // before answering, so a client that logs in again at once is not told [IN-USE]
            writer.ok(ctx.config().hostname() + " signing off (" + left + " messages left)");
        } else {
            writer.ok(ctx.config().hostname() + " signing off");
        }
        return false;
    }

    private boolean plaintextAuthAllowed() {
        return conn.isTls() || (ctx.config().plaintextAuthOnLoopback() && conn.isLoopback());
    }

    private boolean tlsAvailable() {
        return ctx.tls().isPresent() && !conn.isTls();
    }

    private void releaseMaildrop() {
        if (login == null) return;
        String aliasId = login.alias().id();
        login.close();
        login = null;
        if (locked) ctx.locks().unlock(aliasId);
        locked = false;
    }

    private void release() {
        releaseMaildrop();
        conn.close();
    }
}
