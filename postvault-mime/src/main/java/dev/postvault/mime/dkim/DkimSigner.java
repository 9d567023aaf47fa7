package dev.postvault.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs a message with DKIM (RFC 6376 §5), relaxed/relaxed, once per key, so a domain's mail carries
 * an RSA-SHA256 and an Ed25519-SHA256 signature (RFC 8463 §5 suggests both while verifiers catch up).
 */
public final class DkimSigner {
    private DkimSigner() {}

    /**
     * Fields signed when present (RFC 6376 §5.4.1 recommends From and the fields that carry meaning to a
     * reader); the OVERSIGNED ones are listed once more than they occur, so that a field of that name
     * added on the way breaks the signature (§8.15).
     */
    static final List<String> SIGNED = List.of("from", "to", "cc", "subject", "date", "message-id", "reply-to", "sender",
            "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "list-unsubscribe");
    static final java.util.Set<String> OVERSIGNED = java.util.Set.of("from", "to", "subject", "date");

    /** {@code message} with one DKIM-Signature field per key in front (the first key's on top). */
    public static byte[] sign(byte[] message, List<DkimKey> keys, Instant now) {
        Header header = Header.of(message);
        byte[] bodyHash = sha256(DkimCanonicalization.relaxedBody(message, header.bodyStart()));
        List<String> names = headerList(header);
        var out = new ByteArrayOutputStream(message.length + 1024 * keys.size());
        List<byte[]> fields = new ArrayList<>();
        for (DkimKey key : keys) fields.add(signature(header, names, bodyHash, key, now));
        for (byte[] f : fields) out.writeBytes(f);
        out.writeBytes(message);
        return out.toByteArray();
    }

    private static List<String> headerList(Header header) {
        Map<String, Integer> counts = new HashMap<>();
        for (Header.Field f : header.fields()) counts.merge(f.lowerName(), 1, Integer::sum);
        List<String> names = new ArrayList<>();
        for (String n : SIGNED) {
            int times = counts.getOrDefault(n, 0) + (OVERSIGNED.contains(n) ? 1 : 0);
            for (int i = 0; i < times; i++) names.add(n);
        }
        return names;
    }

    /** One DKIM-Signature field, folded, ending in CRLF (§3.5). */
    private static byte[] signature(Header header, List<String> names, byte[] bodyHash, DkimKey key, Instant now) {
        String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().tag + "; c=relaxed/relaxed; d=" + key.domain()
                + "; s=" + key.selector() + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + String.join(":", names)
                + ";\r\n\tbh=" + Base64.getEncoder().encodeToString(bodyHash) + ";\r\n\tb=";
        var data = new ByteArrayOutputStream();
        // §5.4.2: each listed name takes the last instance not yet used, from the bottom up; one that
        // does not exist (oversigning) contributes nothing.
        Map<String, Integer> used = new HashMap<>();
        for (String n : names) {
            List<Header.Field> all = header.named(n);
            int taken = used.merge(n, 1, Integer::sum);
            if (taken <= all.size()) data.writeBytes(DkimCanonicalization.relaxedHeader(all.get(all.size() - taken).raw()));
        }
        // §3.7: the signature field itself, b= empty, canonicalized, without its final CRLF.
        byte[] self = DkimCanonicalization.relaxedHeader(unsigned.getBytes(StandardCharsets.US_ASCII));
        data.write(self, 0, self.length - 2);
        String b = Base64.getEncoder().encodeToString(sign(key, data.toByteArray()));
        return (unsigned + fold(b) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** RSA: RSASSA-PKCS1-v1_5 with SHA-256 over the data; Ed25519: PureEdDSA over the data's SHA-256 (RFC 8463 §3). */
    private static byte[] sign(DkimKey key, byte[] data) {
        try {
            if (key.algorithm() == DkimAlgorithm.RSA_SHA256) {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(key.privateKey());
                s.update(data);
                return s.sign();
            }
            // BouncyCastle's Ed25519 rather than the JDK's: the same PureEdDSA (RFC 8032), at a
            // fourteenth of the cost, which matters when every submitted message is signed.
            byte[] seed = ((java.security.interfaces.EdECPrivateKey) key.privateKey()).getBytes()
                    .orElseThrow(() -> new GeneralSecurityException("an Ed25519 key without its seed"));
            var signer = new org.bouncycastle.crypto.signers.Ed25519Signer();
            signer.init(true, new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0));
            byte[] digest = sha256(data);
            signer.update(digest, 0, digest.length);
            return signer.generateSignature();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + key + " failed", e);
        }
    }

    /** The b= value folded into lines of 76 characters (FWS inside b= is ignored by verifiers, §3.5). */
    private static String fold(String b) {
        StringBuilder sb = new StringBuilder(b.length() + b.length() / 76 * 3);
        for (int i = 0; i < b.length(); i += 76) {
            if (i > 0) sb.append("\r\n\t ");
            sb.append(b, i, Math.min(b.length(), i + 76));
        }
        return sb.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header fields of a message, each with its raw bytes (folding kept, final CRLF not). */
    record Header(List<Field> fields, int bodyStart) {
        record Field(String lowerName, byte[] raw) {}

        List<Field> named(String lowerName) {
            return fields.stream().filter(f -> f.lowerName().equals(lowerName)).toList();
        }

        static Header of(byte[] m) {
            List<Field> fields = new ArrayList<>();
            int i = 0;
            while (i < m.length) {
                if (m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n') return new Header(fields, i + 2); // the empty line
                int start = i;
                int end = lineEnd(m, i);
                // A field continues on lines that start with WSP (RFC 5322 §2.2.3).
                while (end + 2 < m.length && (m[end + 2] == ' ' || m[end + 2] == '\t')) end = lineEnd(m, end + 2);
                int colon = start;
                while (colon < end && m[colon] != ':') colon++;
                String name = new String(m, start, colon - start, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
                fields.add(new Field(name, java.util.Arrays.copyOfRange(m, start, end)));
                i = Math.min(m.length, end + 2);
            }
            return new Header(fields, m.length);
        }

        /** Where the line starting at {@code i} ends: the index of its CR (or the end of the message). */
        private static int lineEnd(byte[] m, int i) {
            while (i < m.length && !(m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n')) i++;
            return i;
        }
    }
}
