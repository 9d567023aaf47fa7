package dev.postvault.crypto;

/**
 * Argon2id cost parameters (RFC 9106 §3.1). The default follows OWASP's password-storage guidance
 * (19 MiB, 2 passes, 1 lane); both are stored with every alias so the cost can be raised later without
 * breaking existing passwords.
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
    public static final Argon2Params DEFAULT = new Argon2Params(19 * 1024, 2, 1);

    public Argon2Params {
        if (memoryKiB < 8 * parallelism) throw CryptoException.malformed("argon2 memory below 8*p KiB");
        if (iterations < 1 || parallelism < 1 || parallelism > 64) throw CryptoException.malformed("bad argon2 cost");
    }

    /** The PHC-style parameter string, e.g. {@code m=19456,t=2,p=1}. */
    public String encode() {
        return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
    }

    public static Argon2Params decode(String s) {
        int m = -1, t = -1, p = -1;
        for (String kv : s.split(",")) {
            String[] parts = kv.split("=", 2);
            if (parts.length != 2) throw CryptoException.malformed("bad argon2 parameter string");
            int v;
            try {
                v = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw CryptoException.malformed("bad argon2 parameter string");
            }
            switch (parts[0]) {
                case "m" -> m = v;
                case "t" -> t = v;
                case "p" -> p = v;
                default -> throw CryptoException.malformed("bad argon2 parameter string");
            }
        }
        return new Argon2Params(m, t, p);
    }
}
