package dev.postvault.smtp.session;

import java.util.Locale;
import java.util.Set;

/**
 * Who a submission session authenticated as: the alias and the addresses it may use as envelope
 * sender and in From: / Sender: (its own, and any the administrator allows). Holds addresses: never
 * log it; {@link #toString()} prints the alias id only.
 *
 * @param aliasId the alias's opaque id (safe to log)
 * @param addresses every address this login may send as, lower-cased
 */
public record Principal(String aliasId, Set<String> addresses) {
    public Principal {
        addresses = Set.copyOf(addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
        if (addresses.isEmpty()) throw new IllegalArgumentException("a principal may send as at least its own address");
    }

    /** Whether {@code address} (as parsed from MAIL FROM or a header) is one this login may use. */
    public boolean mayUse(String address) {
        return addresses.contains(address.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "Principal[" + aliasId + "]";
    }
}
