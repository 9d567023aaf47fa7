package dev.postvault.store.account;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.CryptoException;
import dev.postvault.crypto.HybridKem;
import dev.postvault.crypto.KeyWrap;
import dev.postvault.crypto.PasswordKdf;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.crypto.Secrets;
import dev.postvault.store.StoreException;
import dev.postvault.store.control.Addresses;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.control.ControlPlane;
import dev.postvault.store.control.Credentials;
import dev.postvault.store.mailbox.MailboxStore;
import dev.postvault.store.spool.Spool;
import java.time.Instant;
import java.util.Optional;

/**
 * Alias life cycle and logins (ARCHITECTURE.md §2). A wrong password is refused by the verifier
 * before any mailbox file is touched; a right one unwraps the DEK, which is all a mailbox needs.
 */
public final class Accounts {
    /** Per-alias storage limit when none is given: 10 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 10L * 1024 * 1024 * 1024;

    private final ControlPlane control;
    private final MailboxStore mailboxes;
    private final Spool spool;
    private final LoginCache cache;
    private final Argon2Params argon2;
    private final byte[] dummySalt = PasswordKdf.newSalt();
    /**
     * One lock per stripe of alias ids around the Argon2id step of a login: when a client opens five
     * connections at once, the first login derives the keys and the other four find them in the
     * cache, instead of five derivations racing for the same cores.
     */
    private final java.util.concurrent.locks.ReentrantLock[] loginStripes = new java.util.concurrent.locks.ReentrantLock[256];
    private final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

    {
        for (int i = 0; i < loginStripes.length; i++) loginStripes[i] = new java.util.concurrent.locks.ReentrantLock();
    }

    public Accounts(ControlPlane control, MailboxStore mailboxes, Spool spool, LoginCache cache, Argon2Params argon2) {
        this.control = control;
        this.mailboxes = mailboxes;
        this.spool = spool;
        this.cache = cache;
        this.argon2 = argon2;
    }

    public record Created(AliasRecord alias, String password, Optional<String> recoveryKey) {
        @Override
        public String toString() {
            return "Created[" + alias.id() + "]";
        }
    }

    /**
     * Creates an alias: a random DEK and hybrid keypair, the mailbox file, then the control-plane row
     * (the commit point: a crash before it leaves only an unreferenced file with a random name).
     *
     * @param chosenPassword a password to use instead of a generated one (at least 12 characters)
     */
    public Created createAlias(String address, Optional<String> chosenPassword, boolean withRecoveryKey) {
        String addr = Addresses.address(address);
        String domain = Addresses.domainOf(addr);
        if (!control.hasDomain(domain)) throw StoreException.notFound("domain " + domain + " is not configured");
        if (control.alias(addr).isPresent()) throw new StoreException(StoreException.Kind.ALREADY_EXISTS, "alias exists");
        chosenPassword.ifPresent(Accounts::checkChosen);
        String password = chosenPassword.orElseGet(Secrets::generatePassword);
        Optional<String> recovery = withRecoveryKey ? Optional.of(Secrets.generateRecoveryKey()) : Optional.empty();

        String id = Bytes.randomId();
        SecretKey32 dek = SecretKey32.random();
        try {
            HybridKem.KeyPairs keys = HybridKem.generate();
            mailboxes.create(id, dek, keys);
            Credentials creds = credentials(1, id, password, dek, recovery.map(r -> wrapRecovery(r, dek, id)));
            var alias = new AliasRecord(id, addr, domain, creds, keys.publicKeys().encode(), DEFAULT_QUOTA_BYTES, Instant.now());
            try {
                control.addAlias(alias);
            } catch (RuntimeException e) {
                mailboxes.delete(id);
                throw e;
            }
            return new Created(alias, password, recovery);
        } finally {
            dek.destroy();
        }
    }

    /**
     * Verifies the password and unwraps the DEK. Unknown aliases cost the same Argon2id work as known
     * ones, so timing does not reveal which addresses exist.
     *
     * @throws StoreException AUTHENTICATION_FAILED for an unknown alias or a wrong password
     */
    public Unlocked login(String address, String password) {
        Optional<AliasRecord> found;
        try {
            found = control.alias(Addresses.address(address));
        } catch (StoreException invalid) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            PasswordKdf.derive(password, dummySalt, argon2);
            throw failed();
        }
        AliasRecord alias = found.get();
        Credentials c = alias.credentials();
        Optional<SecretKey32> cached = cache.find(alias.id(), c.version(), password);
        if (cached.isPresent()) return new Unlocked(alias, cached.get());
        var stripe = loginStripes[Math.floorMod(alias.id().hashCode(), loginStripes.length)];
        stripe.lock();
        try {
            cached = cache.find(alias.id(), c.version(), password); // a concurrent login may have just derived it
            if (cached.isPresent()) return new Unlocked(alias, cached.get());
            derivations.incrementAndGet();
            var keys = PasswordKdf.derive(password, c.salt(), c.argon2());
            try {
                if (!Bytes.constantTimeEquals(keys.verifier(), c.verifier())) throw failed();
                SecretKey32 dek = KeyWrap.unwrap(keys.kek(), c.wrappedDek(), alias.id());
                cache.put(alias.id(), c.version(), password, dek);
                return new Unlocked(alias, dek);
            } catch (CryptoException e) {
                throw failed();
            } finally {
                keys.kek().destroy();
            }
        } finally {
            stripe.unlock();
        }
    }

    /** Argon2id derivations run by logins of existing aliases so far (for metrics and tests). */
    public long passwordDerivations() {
        return derivations.get();
    }

    /**
     * Unwraps a DEK from credentials kept elsewhere (a backup's manifest): the password must match the
     * credentials as they were then. AUTHENTICATION_FAILED otherwise.
     */
    public static SecretKey32 unwrap(String aliasId, Credentials c, String password) {
        var keys = PasswordKdf.derive(password, c.salt(), c.argon2());
        try {
            return KeyWrap.unwrap(keys.kek(), c.wrappedDek(), aliasId);
        } catch (CryptoException e) {
            throw failed();
        } finally {
            keys.kek().destroy();
        }
    }

    /**
     * Changes the password: unwrap the DEK with the current password (or the recovery key), wrap it
     * under the new one, and swap the credentials in one compare-and-set statement. The mailbox file
     * is not touched; a crash leaves the old or the new password working, never neither.
     */
    public void changePassword(String address, String currentOrRecovery, String newPassword) {
        checkChosen(newPassword);
        AliasRecord alias = control.alias(Addresses.address(address)).orElseThrow(Accounts::failed);
        Credentials c = alias.credentials();
        SecretKey32 dek = unwrapForChange(alias, currentOrRecovery);
        try {
            Credentials next = credentials(c.version() + 1, alias.id(), newPassword, dek, c.recoveryWrappedDek());
            if (!control.replaceCredentials(alias.id(), c.version(), next)) {
                throw new StoreException(StoreException.Kind.TEMPORARY, "credentials changed concurrently; try again");
            }
        } finally {
            dek.destroy();
        }
    }

    /**
     * Removes the alias: the control-plane row first (mail stops being accepted and nobody can log in),
     * then its files. Files that cannot go yet (open in a session, a crash in between) are left to
     * {@link #sweepOrphans}.
     */
    public void removeAlias(String address) {
        AliasRecord alias = control.alias(Addresses.address(address)).orElseThrow(() -> StoreException.notFound("no such alias"));
        control.removeAlias(alias.address());
        spool.deleteAll(alias.id());
        try {
            mailboxes.delete(alias.id());
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.IN_USE) throw e;
        }
    }

    /**
     * Deletes mailbox files and spool directories that no alias refers to: left by a crash during
     * alias creation (the file is written before the row) or removal (the row goes before the files).
     * Files younger than {@code minAge} are spared, since another process may be creating that alias
     * right now. Returns how many ids were swept.
     */
    public int sweepOrphans(java.time.Duration minAge) {
        java.time.Instant cutoff = Instant.now().minus(minAge);
        int swept = 0;
        for (var e : mailboxes.fileIds().entrySet()) {
            if (e.getValue().isBefore(cutoff) && control.aliasById(e.getKey()).isEmpty()) {
                try {
                    mailboxes.delete(e.getKey());
                    swept++;
                } catch (StoreException inUse) {
                    // try again at the next sweep
                }
            }
        }
        for (String id : spool.aliasIds()) {
            if (control.aliasById(id).isEmpty() && !mailboxes.exists(id)) spool.deleteAll(id);
        }
        return swept;
    }

    private SecretKey32 unwrapForChange(AliasRecord alias, String secret) {
        Credentials c = alias.credentials();
        var keys = PasswordKdf.derive(secret, c.salt(), c.argon2());
        try {
            if (Bytes.constantTimeEquals(keys.verifier(), c.verifier())) return KeyWrap.unwrap(keys.kek(), c.wrappedDek(), alias.id());
        } finally {
            keys.kek().destroy();
        }
        if (c.recoveryWrappedDek().isPresent() && Secrets.looksLikeRecoveryKey(secret)) {
            SecretKey32 rk = Secrets.recoveryKek(secret);
            try {
                return KeyWrap.unwrap(rk, c.recoveryWrappedDek().get(), alias.id());
            } catch (CryptoException e) {
                throw failed();
            } finally {
                rk.destroy();
            }
        }
        throw failed();
    }

    private Credentials credentials(long version, String aliasId, String password, SecretKey32 dek, Optional<byte[]> recoveryWrap) {
        byte[] salt = PasswordKdf.newSalt();
        var keys = PasswordKdf.derive(password, salt, argon2);
        try {
            return new Credentials(version, salt, argon2, keys.verifier(), KeyWrap.wrap(keys.kek(), dek, aliasId), recoveryWrap);
        } finally {
            keys.kek().destroy();
        }
    }

    private static byte[] wrapRecovery(String recoveryKey, SecretKey32 dek, String aliasId) {
        SecretKey32 rk = Secrets.recoveryKek(recoveryKey);
        try {
            return KeyWrap.wrap(rk, dek, aliasId);
        } finally {
            rk.destroy();
        }
    }

    private static void checkChosen(String password) {
        if (password.codePointCount(0, password.length()) < Secrets.MIN_CHOSEN_PASSWORD_CHARS) {
            throw StoreException.invalid("a password needs at least " + Secrets.MIN_CHOSEN_PASSWORD_CHARS + " characters");
        }
        if (password.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
            throw StoreException.invalid("a password cannot contain line breaks or NUL");
        }
    }

    private static StoreException failed() {
        return new StoreException(StoreException.Kind.AUTHENTICATION_FAILED, "authentication failed");
    }
}
