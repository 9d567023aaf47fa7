package dev.postvault.backup;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.store.control.Credentials;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What one backup version is: written after its data object, so a version without a manifest (a
 * crash mid-upload) is never listed. It carries the alias's wrapped DEK with its Argon2id salt and
 * cost, so the version plus the password is enough to open it, even after the server is gone. It
 * holds no address, subject or key in clear.
 *
 * <p>Format: {@code name=value} lines (UTF-8), {@code format=postvault-backup/1} first.
 *
 * @param kind {@link Kind#SNAPSHOT} (VACUUM INTO with the key, integrity-checked) or
 *     {@link Kind#CIPHERTEXT} (a dormant file copied without its key)
 * @param sha256 of the stored object, checked before any restore
 * @param sourceSha256 of the mailbox file it was taken from, to skip a backup when nothing changed
 * @param schema the mailbox schema version, known for snapshots
 */
public record Manifest(
        String aliasId,
        String version,
        Instant created,
        Kind kind,
        long size,
        byte[] sha256,
        Optional<byte[]> sourceSha256,
        Optional<Integer> schema,
        Argon2Params argon2,
        byte[] salt,
        byte[] wrappedDek,
        Optional<byte[]> recoveryWrappedDek) {

    public static final String FORMAT = "postvault-backup/1";

    public enum Kind {
        SNAPSHOT,
        CIPHERTEXT
    }

    public Credentials credentials() {
        return new Credentials(0, salt, argon2, new byte[0], wrappedDek, recoveryWrappedDek);
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    public byte[] encode() {
        var m = new TreeMap<String, String>();
        m.put("alias", aliasId);
        m.put("version", version);
        m.put("created", created.toString());
        m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("size", Long.toString(size));
        m.put("sha256", HexFormat.of().formatHex(sha256));
        sourceSha256.ifPresent(s -> m.put("source-sha256", HexFormat.of().formatHex(s)));
        schema.ifPresent(s -> m.put("schema", Integer.toString(s)));
        m.put("argon2", argon2.encode());
        m.put("salt", b64(salt));
        m.put("wrapped-dek", b64(wrappedDek));
        recoveryWrappedDek.ifPresent(r -> m.put("recovery-wrapped-dek", b64(r)));
        var sb = new StringBuilder("format=" + FORMAT + "\n");
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Manifest decode(byte[] bytes) {
        var p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) throw new BackupException(BackupException.Kind.CORRUPT, "not a backup manifest");
        try {
            return new Manifest(
                    req(p, "alias"),
                    req(p, "version"),
                    Instant.parse(req(p, "created")),
                    Kind.valueOf(req(p, "kind").toUpperCase(java.util.Locale.ROOT)),
                    Long.parseLong(req(p, "size")),
                    HexFormat.of().parseHex(req(p, "sha256")),
                    Optional.ofNullable(p.getProperty("source-sha256")).map(HexFormat.of()::parseHex),
                    Optional.ofNullable(p.getProperty("schema")).map(Integer::parseInt),
                    Argon2Params.decode(req(p, "argon2")),
                    Base64.getDecoder().decode(req(p, "salt")),
                    Base64.getDecoder().decode(req(p, "wrapped-dek")),
                    Optional.ofNullable(p.getProperty("recovery-wrapped-dek")).map(Base64.getDecoder()::decode));
        } catch (RuntimeException e) {
            if (e instanceof BackupException be) throw be;
            throw new BackupException(BackupException.Kind.CORRUPT, "damaged backup manifest", e);
        }
    }

    private static String req(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) throw new BackupException(BackupException.Kind.CORRUPT, "backup manifest lacks " + name);
        return v;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
