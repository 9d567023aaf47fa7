package dev.postvault.store.account;

import dev.postvault.store.StoreException;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one login path of every protocol (ARCHITECTURE.md §4): the node's failed-login throttle, the
 * password, the mailbox opened under its quota, and the spool drained into it. IMAP and POP3 open
 * mailboxes through it; SMTP submission checks the password through it ({@link #authenticate}); no
 * session touches the spool itself.
 *
 * <p>A login with the right password always succeeds while the mailbox file can be opened: a drain
 * that cannot finish (the disk is full) is logged and retried in the background by the
 * {@link OpenMailbox}, which also drains whatever the MX seals for the alias while it is open.
 */
public final class Logins {
    private static final Logger LOG = LoggerFactory.getLogger(Logins.class);

    private final Accounts accounts;
    private final MailboxStore mailboxes;
    private final Spool spool;
    private final ChangeBus bus;
    private final LoginThrottle throttle;
    private final SpoolFeed.Retry retry;

    public Logins(Accounts accounts, MailboxStore mailboxes, Spool spool, ChangeBus bus, LoginThrottle throttle) {
        this(accounts, mailboxes, spool, bus, throttle, SpoolFeed.Retry.DEFAULT);
    }

    Logins(Accounts accounts, MailboxStore mailboxes, Spool spool, ChangeBus bus, LoginThrottle throttle, SpoolFeed.Retry retry) {
        this.accounts = accounts;
        this.mailboxes = mailboxes;
        this.spool = spool;
        this.bus = bus;
        this.throttle = throttle;
        this.retry = retry;
    }

    /**
     * Logs {@code address} in from {@code client} and opens its mailbox with the spool drained.
     *
     * @throws StoreException THROTTLED before the password is checked (which also spares the
     *     Argon2id work) when the client's network failed too often; AUTHENTICATION_FAILED after the
     *     throttle's delay for a wrong password or an unknown alias; TEMPORARY or CORRUPT when the
     *     mailbox file cannot be opened
     */
    public OpenMailbox open(String address, String password, InetAddress client) {
        Unlocked user = unlock(address, password, client);
        Mailbox mailbox = mailboxes.open(user.alias().id(), user.dek());
        mailbox.quotaBytes(user.alias().quotaBytes());
        var feed = new SpoolFeed(spool, mailbox, bus, retry);
        feed.start();
        LOG.debug("alias {} logged in", user.alias().id());
        return new OpenMailbox(user, mailbox, bus, feed);
    }

    /**
     * Checks {@code address}'s password from {@code client} without opening its mailbox, as SMTP
     * submission does: the same throttle and the same Argon2id check (or login cache) as {@link #open}.
     *
     * @return the alias that logged in
     * @throws StoreException THROTTLED or AUTHENTICATION_FAILED, as {@link #open}
     */
    public AliasRecord authenticate(String address, String password, InetAddress client) {
        Unlocked user = unlock(address, password, client);
        user.dek().destroy(); // a fresh copy: the login cache keeps its own, sealed
        return user.alias();
    }

    private Unlocked unlock(String address, String password, InetAddress client) {
        if (throttle.refused(client)) {
            throw new StoreException(StoreException.Kind.THROTTLED, "Too many failed logins from your network; try again later");
        }
        try {
            return accounts.login(address, password);
        } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.AUTHENTICATION_FAILED) pause(throttle.failed(client));
            throw e;
        }
    }

    /** How long the throttle holds an answer to a failed login; 0 for a network with no failures. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
