package dev.postvault.store.account;

import dev.postvault.crypto.Aead;
import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.CryptoException;
import dev.postvault.crypto.SecretKey32;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Skips Argon2id for repeated logins within {@link #ttl} (ARCHITECTURE.md §2). Entries are keyed by
 * {@code HMAC(k1, aliasId | credentialVersion | password)} and hold the DEK encrypted under
 * {@code HMAC(k2, same)}: the cache alone, even with its two random in-memory keys, yields no DEK
 * without the password. A credential change bumps the version, so old entries simply stop matching.
 * Nothing here is ever written to disk.
 */
public final class LoginCache {
    private record Entry(byte[] sealedDek, Instant expires) {}

    private final SecretKey32 lookupKey = SecretKey32.random();
    private final SecretKey32 sealKey = SecretKey32.random();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    public LoginCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Optional<SecretKey32> find(String aliasId, long credentialVersion, String password) {
        if (ttl.isZero()) return Optional.empty();
        byte[] material = material(aliasId, credentialVersion, password);
        try {
            String k = Bytes.hex(hmac(lookupKey, material));
            Entry e = entries.get(k);
            if (e == null) return Optional.empty();
            if (clock.instant().isAfter(e.expires())) {
                entries.remove(k, e);
                return Optional.empty();
            }
            SecretKey32 key = SecretKey32.of(hmac(sealKey, material));
            try {
                byte[] dek = Aead.open(key, e.sealedDek(), aliasId.getBytes(StandardCharsets.US_ASCII));
                try {
                    return Optional.of(SecretKey32.of(dek));
                } finally {
                    Bytes.wipe(dek);
                }
            } catch (CryptoException wrong) {
                return Optional.empty();
            } finally {
                key.destroy();
            }
        } finally {
            Bytes.wipe(material);
        }
    }

    public void put(String aliasId, long credentialVersion, String password, SecretKey32 dek) {
        if (ttl.isZero()) return;
        if (entries.size() >= maxEntries) evictExpiredOrAll();
        byte[] material = material(aliasId, credentialVersion, password);
        SecretKey32 key = SecretKey32.of(hmac(sealKey, material));
        byte[] d = dek.bytes();
        try {
            entries.put(Bytes.hex(hmac(lookupKey, material)),
                    new Entry(Aead.seal(key, d, aliasId.getBytes(StandardCharsets.US_ASCII)), clock.instant().plus(ttl)));
        } finally {
            key.destroy();
            Bytes.wipe(d);
            Bytes.wipe(material);
        }
    }

    public int size() {
        return entries.size();
    }

    private void evictExpiredOrAll() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> now.isAfter(e.expires()));
        if (entries.size() >= maxEntries) entries.clear();
    }

    private static byte[] material(String aliasId, long version, String password) {
        return (aliasId + "\u0000" + version + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(SecretKey32 key, byte[] data) {
        byte[] k = key.bytes();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw CryptoException.internal("HmacSHA256 unavailable", e);
        } finally {
            Bytes.wipe(k);
        }
    }
}
