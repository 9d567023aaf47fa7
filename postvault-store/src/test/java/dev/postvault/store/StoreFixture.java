package dev.postvault.store;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.crypto.ServerKey;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.account.LoginCache;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.SqliteControlPlane;
import dev.postvault.store.events.LocalChangeBus;
import dev.postvault.store.mailbox.MailboxLimits;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A real store over a temporary data directory: real SQLite files, real encryption, cheap Argon2. */
public final class StoreFixture implements AutoCloseable {
    public static final Argon2Params FAST_ARGON2 = new Argon2Params(64, 1, 1);

    public final Path dataDir;
    public final ServerKey serverKey;
    public final DbGate gate = new DbGate(4);
    public final SqliteControlPlane control;
    public final LocalChangeBus bus = new LocalChangeBus();
    public final MailboxStore mailboxes;
    public final Spool spool;
    public final Accounts accounts;

    public StoreFixture(Path dataDir) {
        this(dataDir, Duration.ofMinutes(5));
    }

    public StoreFixture(Path dataDir, Duration loginCacheTtl) {
        this(dataDir, loginCacheTtl, DiskSpace.AUTO);
    }

    /** With {@code diskReserveBytes} left free by new mail (0: mail may fill the disk to the last byte). */
    public StoreFixture(Path dataDir, Duration loginCacheTtl, long diskReserveBytes) {
        this(dataDir, loginCacheTtl, diskReserveBytes, MailboxLimits.DEFAULT);
    }

    /** With the store's limits set, e.g. mailboxes that close with their last handle ({@code linger} zero). */
    public StoreFixture(Path dataDir, MailboxLimits limits) {
        this(dataDir, Duration.ofMinutes(5), DiskSpace.AUTO, limits);
    }

    private StoreFixture(Path dataDir, Duration loginCacheTtl, long diskReserveBytes, MailboxLimits limits) {
        this.dataDir = dataDir;
        this.serverKey = ServerKey.loadOrCreate(dataDir);
        this.control = SqliteControlPlane.open(dataDir, serverKey, gate);
        DiskSpace disk = DiskSpace.of(dataDir, diskReserveBytes);
        this.mailboxes = new MailboxStore(dataDir.resolve("mailboxes"), gate, bus, limits, disk);
        this.spool = new Spool(dataDir.resolve("spool"), serverKey, bus, disk);
        this.accounts = new Accounts(control, mailboxes, spool, new LoginCache(loginCacheTtl, 1000, Clock.systemUTC()), FAST_ARGON2);
    }

    /** Adds the address's domain (if new) and an alias with {@code password}, and logs in as it. */
    public Unlocked loggedIn(String address, String password) {
        String domain = address.substring(address.indexOf('@') + 1);
        if (!control.hasDomain(domain)) control.addDomain(domain);
        accounts.createAlias(address, Optional.of(password), false);
        return accounts.login(address, password);
    }

    /** When {@link #append} says a message arrived. */
    public static final java.time.Instant APPENDED_AT = java.time.Instant.parse("2026-03-04T05:06:07Z");

    /** Appends a message straight into {@code folder}, as IMAP APPEND would. */
    public void append(Unlocked user, String folder, byte[] raw) {
        try (var m = mailboxes.open(user.alias().id(), user.dek())) {
            m.append(folder, raw, dev.postvault.store.mailbox.MessageFlags.NONE, APPENDED_AT);
        }
    }

    /** Delivers a message as the MX does: sealed into the spool until a session drains it. */
    public void deliver(Unlocked user, byte[] raw) {
        spool.enqueue(user.alias(), new java.io.ByteArrayInputStream(raw), java.time.Instant.now());
    }

    @Override
    public void close() {
        mailboxes.close();
        control.close();
    }
}
