package dev.postvault.smtp.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Certificate checks for SMTP under DANE (RFC 7672 §3): the MX host's TLSA records, found secure by
 * DNSSEC, decide which certificate is right, not a CA list. Usable records are DANE-EE(3), which
 * match the server's own certificate or public key (and need neither a name nor a validity check,
 * §3.1.1), and DANE-TA(2), which match a certificate of the presented chain that the server's
 * certificate must chain to by signature and whose name must be the MX host or the destination
 * domain (§3.2.2). PKIX-TA(0) and PKIX-EE(1) are not used for SMTP (§3.1.3).
 */
public final class DaneVerifier {
    /** One TLSA record (RFC 6698 §2.1): usage, selector, matching type and the association data. */
    public record Tlsa(int usage, int selector, int matchingType, byte[] data) {
        /** Whether SMTP may use it (RFC 7672 §3.1): DANE-TA or DANE-EE, a known selector and matching type. */
        public boolean usable() {
            return (usage == 2 || usage == 3) && (selector == 0 || selector == 1) && matchingType >= 0 && matchingType <= 2;
        }

        /** Whether this record's association data is that of {@code cert}. */
        boolean matches(X509Certificate cert) throws GeneralSecurityException {
            byte[] content = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] digest = switch (matchingType) {
                case 0 -> content;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(content);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(content);
                default -> null;
            };
            return digest != null && MessageDigest.isEqual(digest, data);
        }

        @Override
        public String toString() {
            return "Tlsa[" + usage + " " + selector + " " + matchingType + "]";
        }
    }

    private DaneVerifier() {}

    /**
     * Whether {@code chain} (the server's, leaf first) is authenticated by one of {@code records} for
     * a connection to {@code mxHost} on behalf of {@code domain}.
     */
    public static boolean authenticates(List<Tlsa> records, X509Certificate[] chain, String mxHost, String domain) {
        if (chain == null || chain.length == 0) return false;
        try {
            for (Tlsa r : records) {
                if (!r.usable()) continue;
                if (r.usage() == 3 && r.matches(chain[0])) return true; // §3.1.1: DANE-EE, nothing else checked
                if (r.usage() == 2) {
                    for (int ta = 1; ta < chain.length; ta++) {
                        if (r.matches(chain[ta]) && chainsTo(chain, ta) && named(chain[0], mxHost, domain)) return true;
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            return false;
        }
        return false;
    }

    /** Each certificate from the leaf up to {@code ta} is signed by the next, and all are in their validity period. */
    private static boolean chainsTo(X509Certificate[] chain, int ta) {
        try {
            for (int i = 0; i < ta; i++) {
                chain[i].checkValidity(); // §3.2.1: DANE-TA chains are checked for expiry like PKIX ones
                chain[i].verify(chain[i + 1].getPublicKey());
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** §3.2.2: a DNS subjectAltName (or, without any, the CN) equal to the MX host or the domain, "*." for one label. */
    static boolean named(X509Certificate leaf, String mxHost, String domain) {
        List<String> names;
        try {
            var alt = leaf.getSubjectAlternativeNames();
            names = alt == null ? List.of() : alt.stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names.isEmpty()) {
            String dn = leaf.getSubjectX500Principal().getName();
            names = Arrays.stream(dn.split(",")).filter(p -> p.startsWith("CN=")).map(p -> p.substring(3)).toList();
        }
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            for (String want : new String[] {mxHost, domain}) {
                String w = want.toLowerCase(Locale.ROOT);
                if (name.equals(w)) return true;
                if (name.startsWith("*.") && w.indexOf('.') > 0 && w.substring(w.indexOf('.') + 1).equals(name.substring(2))) return true;
            }
        }
        return false;
    }

    /** A client TLS context that trusts exactly what {@code records} authenticate, for one host. */
    public static SSLContext context(List<Tlsa> records, String mxHost, String domain) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                private void check(X509Certificate[] chain) throws CertificateException {
                    if (!authenticates(records, chain, mxHost, domain)) {
                        throw new CertificateException("no TLSA record of the MX host matches its certificate (RFC 7672)");
                    }
                }

                @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                    check(c);
                }

                @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
                    check(c);
                }

                @Override public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
                    check(c);
                }

                @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                    throw new CertificateException("a client-side context");
                }

                @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
                    throw new CertificateException("a client-side context");
                }

                @Override public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
                    throw new CertificateException("a client-side context");
                }

                @Override public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
