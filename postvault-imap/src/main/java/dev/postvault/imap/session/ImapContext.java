package dev.postvault.imap.session;

import dev.postvault.imap.ImapConfig;
import dev.postvault.net.LoginThrottle;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** What every IMAP session of a node shares: the store services, the login throttle and the configuration. */
public record ImapContext(
        Accounts accounts, MailboxStore mailboxes, Spool spool, ChangeBus bus, LoginThrottle loginThrottle, ImapConfig config,
        Optional<SSLContext> tls) {}
