package dev.postvault.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password to keys, ARCHITECTURE.md §2: {@code M = Argon2id(P, salt)}, {@code verifier = HKDF(M, "auth")},
 * {@code KEK = HKDF(M, "kek")}. The verifier is stored and compared in constant time; the KEK never
 * leaves memory and unwraps the mailbox DEK.
 */
public final class PasswordKdf {
    public static final int SALT_BYTES = 16;
    private static final byte[] INFO_AUTH = "postvault/v1/auth".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO_KEK = "postvault/v1/kek".getBytes(StandardCharsets.US_ASCII);

    private PasswordKdf() {}

    /** What a password yields: the stored verifier and the in-memory key-encryption key. */
    public record DerivedKeys(byte[] verifier, SecretKey32 kek) {}

    public static byte[] newSalt() {
        return Bytes.random(SALT_BYTES);
    }

    public static DerivedKeys derive(String password, byte[] salt, Argon2Params params) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] master = argon2id(pw, salt, params, new byte[0], new byte[0], 32);
        try {
            byte[] verifier = Hkdf.derive(master, new byte[0], INFO_AUTH, 32);
            byte[] kek = Hkdf.derive(master, new byte[0], INFO_KEK, 32);
            try {
                return new DerivedKeys(verifier, SecretKey32.of(kek));
            } finally {
                Bytes.wipe(kek);
            }
        } finally {
            Bytes.wipe(master);
            Bytes.wipe(pw);
        }
    }

    /** Argon2id version 0x13 (RFC 9106 §3), exposed with secret and associated data for the RFC vectors. */
    static byte[] argon2id(byte[] password, byte[] salt, Argon2Params p, byte[] secret, byte[] ad, int tagBytes) {
        var builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt);
        if (secret.length > 0) builder.withSecret(secret);
        if (ad.length > 0) builder.withAdditional(ad);
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(builder.build());
        byte[] out = new byte[tagBytes];
        gen.generateBytes(password, out);
        return out;
    }
}
