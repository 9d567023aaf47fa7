package dev.postvault.store.control;

import java.time.Instant;

/**
 * One alias. {@code id} is random and names the mailbox and spool files; {@code address} is the
 * normalised address and appears only inside the encrypted control plane.
 */
public record AliasRecord(
        String id,
        String address,
        String domain,
        Credentials credentials,
        byte[] publicKey,
        long quotaBytes,
        Instant createdAt) {

    public AliasRecord withCredentials(Credentials c) {
        return new AliasRecord(id, address, domain, c, publicKey, quotaBytes, createdAt);
    }
}
