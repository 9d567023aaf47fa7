package dev.postvault.store.control;

import java.util.List;
import java.util.Optional;

/**
 * Domains and aliases. Addresses and domain names are passed normalised (see {@link Addresses}).
 * Methods throw {@link dev.postvault.store.StoreException}: ALREADY_EXISTS, NOT_FOUND, IN_USE.
 */
public interface ControlPlane extends AutoCloseable {
    void addDomain(String domain);

    /** Removes a domain that has no aliases; IN_USE otherwise, NOT_FOUND if absent. */
    void removeDomain(String domain);

    List<String> domains();

    boolean hasDomain(String domain);

    /** ALREADY_EXISTS if the address or id is taken, NOT_FOUND if its domain is absent. */
    void addAlias(AliasRecord alias);

    Optional<AliasRecord> alias(String address);

    Optional<AliasRecord> aliasById(String id);

    /** All aliases, or those of one domain, ordered by address. */
    List<AliasRecord> aliases(Optional<String> domain);

    /** Removes the alias row; NOT_FOUND if absent. */
    void removeAlias(String address);

    /**
     * Replaces the credentials if their version is still {@code expectedVersion}; one atomic
     * statement, so a crash leaves either the old or the new credentials, never a mix.
     *
     * @return false if someone else changed them first
     */
    boolean replaceCredentials(String aliasId, long expectedVersion, Credentials next);

    /** Sets an alias's storage limit in bytes (0: none); NOT_FOUND if absent. */
    void setQuota(String aliasId, long quotaBytes);

    /**
     * Lets the alias send as {@code address} besides its own (submission checks the envelope sender,
     * From: and Sender: against these). Idempotent; NOT_FOUND when the alias is absent.
     */
    void allowSendAs(String aliasId, String address);

    /** Takes that back; NOT_FOUND when it was not allowed. */
    void revokeSendAs(String aliasId, String address);

    /** The addresses, besides its own, the alias may send as, sorted. */
    List<String> sendAs(String aliasId);

    /**
     * Makes {@code fresh} the domain's active DKIM keys and retires the ones active before, in one
     * step; NOT_FOUND when the domain is absent.
     */
    void rotateDkimKeys(String domain, List<DkimKeyRecord> fresh);

    /** The domain's DKIM keys, newest first, active and retired. */
    List<DkimKeyRecord> dkimKeys(String domain);

    /** Keeps (replacing any before) a destination domain's MTA-STS policy. */
    void saveMtaStsPolicy(CachedPolicy policy);

    /** The destination domain's cached MTA-STS policy, if one was kept. */
    Optional<CachedPolicy> mtaStsPolicy(String domain);

    @Override
    void close();
}
