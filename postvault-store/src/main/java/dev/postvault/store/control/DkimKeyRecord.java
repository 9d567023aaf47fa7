package dev.postvault.store.control;

import java.time.Instant;

/**
 * A domain's DKIM key as the control plane keeps it: the private half sealed under the server key
 * (never in clear on disk), the public half as published.
 *
 * @param algorithm the a= tag ({@code rsa-sha256}, {@code ed25519-sha256})
 * @param active whether new mail is signed with it; retired keys stay until their records are unpublished
 */
public record DkimKeyRecord(String domain, String selector, String algorithm, byte[] sealedPrivate, byte[] publicKey,
                            Instant createdAt, boolean active) {
    @Override
    public String toString() {
        return "DkimKeyRecord[" + selector + "._domainkey." + domain + ", " + algorithm + (active ? ", active" : "") + "]";
    }
}
