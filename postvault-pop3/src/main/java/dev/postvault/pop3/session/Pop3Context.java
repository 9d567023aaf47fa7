package dev.postvault.pop3.session;

import dev.postvault.net.LoginThrottle;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** What every POP3 session of a node shares: the store services, the locks, the throttle, the settings. */
public record Pop3Context(
        Accounts accounts,
        MailboxStore mailboxes,
        Spool spool,
        LoginThrottle loginThrottle,
        MaildropLocks locks,
        Pop3Config config,
        Optional<SSLContext> tls) {}
