package dev.postvault.server;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.crypto.ServerKey;
import dev.postvault.store.DbGate;
import dev.postvault.store.DiskSpace;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.account.LoginCache;
import dev.postvault.store.account.LoginThrottle;
import dev.postvault.store.account.Logins;
import dev.postvault.store.control.SqliteControlPlane;
import dev.postvault.store.events.LocalChangeBus;
import dev.postvault.store.mailbox.MailboxLimits;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything a node holds over its data directory, built by constructors in this one place
 * (STYLE.md §11). The server and every command-line command open the same Node, so commands work
 * whether or not a server runs on the directory: SQLite serialises the writers.
 *
 * <pre>
 * data/
 *   server.key          32 random bytes, mode 0600
 *   control.sqlite      control plane, encrypted under a server subkey
 *   mailboxes/ID.sqlite one per alias, encrypted under its DEK
 *   spool/ID/*.seg      sealed mail waiting for a login (append-only segments)
 *   tls/server.p12      self-signed TLS identity until replaced
 * </pre>
 */
public final class Node implements AutoCloseable {
    /**
     * @param diskReserveBytes free space new mail must leave on the data directory's file system, or
     *     {@link DiskSpace#AUTO} (5% of it, at most 64 MiB)
     */
    public record Settings(Argon2Params argon2, Duration loginCacheTtl, MailboxLimits mailboxLimits, long diskReserveBytes) {
        public static final Settings DEFAULT = new Settings(Argon2Params.DEFAULT, Duration.ofMinutes(15), MailboxLimits.DEFAULT);

        public Settings(Argon2Params argon2, Duration loginCacheTtl, MailboxLimits mailboxLimits) {
            this(argon2, loginCacheTtl, mailboxLimits, DiskSpace.AUTO);
        }

        public Settings withDiskReserveBytes(long bytes) {
            return new Settings(argon2, loginCacheTtl, mailboxLimits, bytes);
        }

        public Settings withMailboxLimits(MailboxLimits limits) {
            return new Settings(argon2, loginCacheTtl, limits, diskReserveBytes);
        }
    }

    private final Path dataDir;
    private final ServerKey serverKey;
    private final DbGate gate;
    private final SqliteControlPlane control;
    private final LocalChangeBus bus;
    private final MailboxStore mailboxes;
    private final Spool spool;
    private final Accounts accounts;
    private final Logins logins;
    private final dev.postvault.store.control.DkimKeys dkim;
    private final dev.postvault.store.outbound.OutboundQueue outbound;

    private Node(Path dataDir, Settings settings) {
        this.dataDir = dataDir;
        this.serverKey = ServerKey.loadOrCreate(dataDir);
        this.gate = DbGate.forThisMachine();
        this.control = SqliteControlPlane.open(dataDir, serverKey, gate);
        this.bus = new LocalChangeBus();
        DiskSpace disk = DiskSpace.of(dataDir, settings.diskReserveBytes());
        this.mailboxes = new MailboxStore(dataDir.resolve("mailboxes"), gate, bus, settings.mailboxLimits(), disk);
        this.spool = new Spool(dataDir.resolve("spool"), serverKey, bus, disk);
        this.accounts = new Accounts(control, mailboxes, spool,
                new LoginCache(settings.loginCacheTtl(), 100_000, Clock.systemUTC()), settings.argon2());
        // One throttle per node: IMAP, POP3 (and submission) count failed logins together.
        this.logins = new Logins(accounts, mailboxes, spool, bus, new LoginThrottle(LoginThrottle.Policy.DEFAULT, Clock.systemUTC()));
        this.dkim = new dev.postvault.store.control.DkimKeys(control, serverKey.subkey("dkim-keys"), Clock.systemUTC());
        this.outbound = new dev.postvault.store.outbound.OutboundQueue(dataDir.resolve("outbound"), serverKey.subkey("outbound-queue"));
    }

    /** Opens (creating on first use, mode 0700) the data directory. */
    public static Node open(Path dataDir, Settings settings) {
        try {
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Node(dataDir, settings);
    }

    public Path dataDir() {
        return dataDir;
    }

    public ServerKey serverKey() {
        return serverKey;
    }

    public SqliteControlPlane control() {
        return control;
    }

    public LocalChangeBus bus() {
        return bus;
    }

    public MailboxStore mailboxes() {
        return mailboxes;
    }

    public Spool spool() {
        return spool;
    }

    public Accounts accounts() {
        return accounts;
    }

    /** The login path every protocol uses. */
    public Logins logins() {
        return logins;
    }

    /** Mail waiting for delivery to other servers. */
    public dev.postvault.store.outbound.OutboundQueue outbound() {
        return outbound;
    }

    /** Each domain's DKIM signing keys. */
    public dev.postvault.store.control.DkimKeys dkim() {
        return dkim;
    }

    @Override
    public void close() {
        spool.close();
        mailboxes.close();
        control.close();
    }
}
