package dev.postvault.imap.session;

import dev.postvault.imap.ImapConfig;
import dev.postvault.store.account.Logins;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** What every IMAP session of a node shares: the store's login path and the configuration. */
public record ImapContext(Logins logins, ImapConfig config, Optional<SSLContext> tls) {}
