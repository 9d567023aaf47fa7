package dev.postvault.store.control;

import java.time.Instant;

/**
 * A destination domain's MTA-STS policy (RFC 8461) as last fetched: the policy as text in the
 * policy format (§3.2; what was parsed, written out again, so unknown fields are not kept), the TXT id
 * it was fetched under and when. Kept so that a policy outlives a restart: the protection
 * MTA-STS gives against a stripped TXT record rests on the cache (RFC 8461 §5.1, §10.2).
 */
public record CachedPolicy(String domain, String id, byte[] body, Instant fetchedAt) {
    @Override
    public String toString() {
        return "CachedPolicy[id=" + id + ", " + body.length + " bytes, " + fetchedAt + "]";
    }
}
