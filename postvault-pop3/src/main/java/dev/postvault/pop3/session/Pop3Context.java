package dev.postvault.pop3.session;

import dev.postvault.pop3.Pop3Config;
import dev.postvault.store.account.Logins;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** What every POP3 session of a node shares: the store's login path, the maildrop locks, the settings. */
public record Pop3Context(Logins logins, MaildropLocks locks, Pop3Config config, Optional<SSLContext> tls) {}
