package dev.postvault.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * User-facing secrets: generated alias passwords and recovery keys. Both are 28 characters of a
 * 31-symbol alphabet (28 * log2(31) = 138.7 bits), grouped by four for reading aloud. The alphabet
 * drops 0/o and 1/l/i so a person copying by hand cannot confuse them.
 */
public final class Secrets {
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    static final int SYMBOLS = 28;
    /** Minimum length of a password a user chooses (with {@code --password-stdin}). */
    public static final int MIN_CHOSEN_PASSWORD_CHARS = 12;
    private static final byte[] INFO_RECOVERY = "postvault/v1/recovery-kek".getBytes(StandardCharsets.US_ASCII);

    private Secrets() {}

    /** Entropy of a generated password or recovery key, in bits. */
    public static double entropyBits() {
        return SYMBOLS * Math.log(ALPHABET.length) / Math.log(2);
    }

    /** A new password with at least 128 bits of entropy, e.g. {@code k7dm-q2xa-...}. */
    public static String generatePassword() {
        return generate();
    }

    /** A new recovery key; it is shown once and is a second wrap of the DEK. */
    public static String generateRecoveryKey() {
        return generate();
    }

    private static String generate() {
        StringBuilder sb = new StringBuilder();
        var rnd = Bytes.secureRandom();
        for (int i = 0; i < SYMBOLS; i++) {
            if (i > 0 && i % 4 == 0) sb.append('-');
            sb.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /**
     * The KEK a recovery key stands for. A recovery key already carries 130 random bits, so HKDF alone
     * is enough; dashes, spaces and case are ignored so it survives being typed back.
     */
    public static SecretKey32 recoveryKek(String recoveryKey) {
        String canonical = recoveryKey.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        byte[] ikm = canonical.getBytes(StandardCharsets.UTF_8);
        byte[] k = Hkdf.derive(ikm, new byte[0], INFO_RECOVERY, 32);
        try {
            return SecretKey32.of(k);
        } finally {
            Bytes.wipe(k);
            Bytes.wipe(ikm);
        }
    }

    /** True when the string has the shape of a generated recovery key. */
    public static boolean looksLikeRecoveryKey(String s) {
        String canonical = s.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        if (canonical.length() != SYMBOLS) return false;
        for (char c : canonical.toCharArray()) {
            if (new String(ALPHABET).indexOf(c) < 0) return false;
        }
        return true;
    }
}
