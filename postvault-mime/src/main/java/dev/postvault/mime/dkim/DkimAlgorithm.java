package dev.postvault.mime.dkim;

/** The signing algorithms Postvault uses: RSA-SHA256 (RFC 6376 §3.3.1) and Ed25519-SHA256 (RFC 8463 §3). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    /** The a= tag value. */
    public final String tag;
    /** The k= tag value of the key record. */
    public final String keyType;

    DkimAlgorithm(String tag, String keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }
}
