package dev.postvault.store.control;

import dev.postvault.store.StoreException;
import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalising addresses and domains: domains to lower-case A-labels (RFC 5890), local parts to
 * lower case (Postvault treats local parts case-insensitively, as nearly every provider does, so
 * {@code Hello@} and {@code hello@} are one alias).
 */
public final class Addresses {
    // RFC 5321 §4.1.2 Dot-string, plus UTF-8 local parts (RFC 6531 §3.3).
    private static final Pattern LOCAL = Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Addresses() {}

    public static String domain(String raw) {
        String d = raw.strip();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        try {
            d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw StoreException.invalid("invalid domain name");
        }
        String[] labels = d.split("\\.", -1);
        if (d.isEmpty() || d.length() > 253 || labels.length < 2) throw StoreException.invalid("invalid domain name");
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) throw StoreException.invalid("invalid domain name");
        }
        return d;
    }

    public static String address(String raw) {
        String a = raw.strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) throw StoreException.invalid("invalid address");
        String local = a.substring(0, at).toLowerCase(Locale.ROOT);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) throw StoreException.invalid("invalid address");
        return local + "@" + domain(a.substring(at + 1));
    }

    public static String domainOf(String normalisedAddress) {
        return normalisedAddress.substring(normalisedAddress.lastIndexOf('@') + 1);
    }
}
