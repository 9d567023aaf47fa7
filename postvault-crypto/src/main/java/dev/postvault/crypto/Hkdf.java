package dev.postvault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/** HKDF-SHA256 (RFC 5869) on the JDK 25 {@link KDF} API. */
public final class Hkdf {
    private Hkdf() {}

    /** RFC 5869 §2.2 extract then §2.3 expand. */
    public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            KDF kdf = KDF.getInstance("HKDF-SHA256");
            var spec = HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, length);
            return kdf.deriveData(spec);
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("HKDF-SHA256 unavailable", e);
        }
    }

    /** A 256-bit subkey for a purpose label, with an empty salt. */
    public static SecretKey32 subkey(SecretKey32 root, String purpose) {
        byte[] ikm = root.bytes();
        try {
            return SecretKey32.of(derive(ikm, new byte[0], purpose.getBytes(StandardCharsets.UTF_8), SecretKey32.LENGTH));
        } finally {
            Bytes.wipe(ikm);
        }
    }
}
