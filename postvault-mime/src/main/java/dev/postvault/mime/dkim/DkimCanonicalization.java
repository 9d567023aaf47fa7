package dev.postvault.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The "relaxed" canonicalization of RFC 6376 §3.4.2 (header) and §3.4.4 (body). */
public final class DkimCanonicalization {
    private DkimCanonicalization() {}

    /**
     * A header field, relaxed (§3.4.2): the name lower-cased; the value unfolded, each run of WSP made
     * one SP, WSP at its ends removed; "name:value" and CRLF.
     *
     * @param field the whole field as it stands in the message, from its name to (excluding) its final CRLF
     */
    public static byte[] relaxedHeader(byte[] field) {
        int colon = 0;
        while (colon < field.length && field[colon] != ':') colon++;
        var out = new ByteArrayOutputStream(field.length + 2);
        String name = new String(field, 0, colon, StandardCharsets.ISO_8859_1).strip().toLowerCase(java.util.Locale.ROOT);
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < field.length; i++) {
            byte b = field[i];
            if (b == '\r' || b == '\n') continue; // unfolding: CRLF (always followed by WSP inside a field) is dropped
            if (b == ' ' || b == '\t') {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) out.write(' ');
            pendingSpace = false;
            started = true;
            out.write(b);
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * The body, relaxed (§3.4.4): in each line runs of WSP become one SP and WSP at the end goes;
     * empty lines at the end go; a non-empty result ends with CRLF (an empty body stays empty).
     */
    public static byte[] relaxedBody(byte[] body, int from) {
        var out = new ByteArrayOutputStream(Math.max(16, body.length - from));
        int pendingEmptyLines = 0;
        int i = from;
        while (i < body.length) {
            int end = i;
            while (end < body.length && !(body[end] == '\r' && end + 1 < body.length && body[end + 1] == '\n')) end++;
            boolean terminated = end < body.length;
            var line = new ByteArrayOutputStream(end - i);
            boolean pendingSpace = false;
            for (int k = i; k < end; k++) {
                byte b = body[k];
                if (b == ' ' || b == '\t') {
                    pendingSpace = true;
                    continue;
                }
                if (pendingSpace) line.write(' ');
                pendingSpace = false;
                line.write(b);
            }
            if (line.size() == 0) {
                pendingEmptyLines++;
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) out.writeBytes(new byte[] {'\r', '\n'});
                out.writeBytes(line.toByteArray());
                out.writeBytes(new byte[] {'\r', '\n'});
            }
            i = terminated ? end + 2 : end;
        }
        return out.toByteArray();
    }
}
