package dev.postvault.store.control;

import dev.postvault.crypto.Aead;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.mime.dkim.DkimAlgorithm;
import dev.postvault.mime.dkim.DkimKey;
import dev.postvault.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each domain's DKIM keys (RFC 6376, RFC 8463): an RSA-2048 and an Ed25519 key made together, the
 * private halves sealed under a subkey of the server key (ChaCha20-Poly1305, bound to domain and
 * selector) before they reach the control plane. Active keys are kept decoded in memory.
 */
public final class DkimKeys {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ControlPlane control;
    private final SecretKey32 sealKey;
    private final Clock clock;
    private final Map<String, List<DkimKey>> active = new ConcurrentHashMap<>();

    /** @param sealKey the server key's subkey for DKIM keys */
    public DkimKeys(ControlPlane control, SecretKey32 sealKey, Clock clock) {
        this.control = control;
        this.sealKey = sealKey;
        this.clock = clock;
    }

    /**
     * Makes a new RSA and Ed25519 key for {@code domain} and signs with them from now on; the keys
     * they replace stay listed (retired) so their DNS records can be left up until mail signed with
     * them has been checked. Selectors are {@code pv-rsa-YYYYMMDD-xxxx} and {@code pv-ed-YYYYMMDD-xxxx}.
     */
    public List<DkimKey> rotate(String domain) {
        Instant now = clock.instant();
        String suffix = DAY.format(now) + "-" + HexFormat.of().formatHex(randomBytes(2));
        List<DkimKey> keys = List.of(DkimKey.generate(domain, "pv-rsa-" + suffix, DkimAlgorithm.RSA_SHA256),
                DkimKey.generate(domain, "pv-ed-" + suffix, DkimAlgorithm.ED25519_SHA256));
        List<DkimKeyRecord> rows = new ArrayList<>();
        for (DkimKey k : keys) {
            rows.add(new DkimKeyRecord(domain, k.selector(), k.algorithm().tag, Aead.seal(sealKey, k.encodedPrivate(), aad(domain, k.selector())),
                    k.encodedPublic(), now, true));
        }
        control.rotateDkimKeys(domain, rows);
        active.remove(domain);
        return keys;
    }

    /** The keys new mail from {@code domain} is signed with; empty when the domain has none. */
    public List<DkimKey> active(String domain) {
        return active.computeIfAbsent(domain, d -> all(d).stream().filter(Listed::active).map(Listed::key).toList());
    }

    /** A key as listed: active or retired. */
    public record Listed(DkimKey key, boolean active, Instant createdAt) {}

    /** A key's public half as listed: active or retired. */
    public record Published(dev.postvault.mime.dkim.DkimPublicKey key, boolean active, Instant createdAt) {}

    /** Every key of the domain, newest first, public halves only: nothing sealed is opened. */
    public List<Published> published(String domain) {
        List<Published> out = new ArrayList<>();
        for (DkimKeyRecord r : control.dkimKeys(domain)) {
            out.add(new Published(new dev.postvault.mime.dkim.DkimPublicKey(domain, r.selector(), algorithm(r), r.publicKey()),
                    r.active(), r.createdAt()));
        }
        return out;
    }

    private static DkimAlgorithm algorithm(DkimKeyRecord r) {
        return switch (r.algorithm()) {
            case "rsa-sha256" -> DkimAlgorithm.RSA_SHA256;
            case "ed25519-sha256" -> DkimAlgorithm.ED25519_SHA256;
            default -> throw new StoreException(StoreException.Kind.CORRUPT, "unknown DKIM algorithm in the control plane");
        };
    }

    /** Every key of the domain, newest first. */
    public List<Listed> all(String domain) {
        List<Listed> out = new ArrayList<>();
        for (DkimKeyRecord r : control.dkimKeys(domain)) {
            DkimAlgorithm alg = algorithm(r);
            byte[] pkcs8 = Aead.open(sealKey, r.sealedPrivate(), aad(domain, r.selector()));
            try {
                out.add(new Listed(DkimKey.decode(domain, r.selector(), alg, pkcs8, r.publicKey()), r.active(), r.createdAt()));
            } finally {
                java.util.Arrays.fill(pkcs8, (byte) 0);
            }
        }
        return out;
    }

    private static byte[] aad(String domain, String selector) {
        return ("dkim\0" + domain + "\0" + selector).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
