package dev.postvault.mime.dkim;

import java.util.Arrays;
import java.util.Base64;

/**
 * The public half of a DKIM key, all that DNS needs: enough to print a domain's records without
 * opening the sealed private key.
 *
 * @param x509 the public key's SubjectPublicKeyInfo (X.509) encoding
 */
public record DkimPublicKey(String domain, String selector, DkimAlgorithm algorithm, byte[] x509) {
    /** The DNS name of the key record (RFC 6376 §3.6.2.1). */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /**
     * The TXT record (RFC 6376 §3.6.1): for RSA p= is the SubjectPublicKeyInfo; for Ed25519 it is the
     * bare 32-byte public key (RFC 8463 §4.2), the last 32 bytes of its X.509 encoding.
     */
    public String dnsRecord() {
        byte[] p = algorithm == DkimAlgorithm.RSA_SHA256 ? x509 : Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        return "v=DKIM1; k=" + algorithm.keyType + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    @Override
    public String toString() {
        return "DkimPublicKey[" + dnsName() + ", " + algorithm + "]";
    }
}
