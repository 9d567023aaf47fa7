package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.mime.Base64Layout.LineTerminator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64LayoutTest {

    /** Independent reference encoder: java.util.Base64 MIME encoder for the line wrapping. */
    private static byte[] wrap(byte[] data, int lineLength, String separator, String tail) {
        byte[] body = Base64.getMimeEncoder(lineLength, bytes(separator)).encode(data);
        byte[] t = bytes(tail);
        byte[] out = Arrays.copyOf(body, body.length + t.length);
        System.arraycopy(t, 0, out, body.length, t.length);
        return out;
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static Base64Layout detectAndCheck(byte[] encoded, byte[] decoded) {
        Base64Layout layout = Base64Layout.detect(encoded, 0, encoded.length).orElseThrow(
                () -> new AssertionError("no layout for " + new String(encoded)));
        assertThat(layout.encode(decoded)).isEqualTo(encoded);
        assertThat(layout.encodedLength(decoded.length)).isEqualTo(encoded.length);
        assertThat(Base64Layout.fromBytes(layout.toBytes())).isEqualTo(layout);
        return layout;
    }

    @Test
    void crlf76WithTrailingTerminator() {
        byte[] data = random(new Random(1), 1000);
        byte[] enc = wrap(data, 76, "\r\n", "\r\n");
        assertThat(detectAndCheck(enc, data)).isEqualTo(new Base64Layout(76, LineTerminator.CRLF, true, ""));
        assertThat(new Base64Layout(76, LineTerminator.CRLF, true, "").toBytes()).hasSize(4);
    }

    @Test
    void lf72() {
        byte[] data = random(new Random(2), 500);
        byte[] enc = wrap(data, 72, "\n", "\n");
        assertThat(detectAndCheck(enc, data)).isEqualTo(new Base64Layout(72, LineTerminator.LF, true, ""));
    }

    @Test
    void noTrailingTerminatorAndExtraTrailer() {
        byte[] data = random(new Random(3), 300);
        assertThat(detectAndCheck(wrap(data, 76, "\r\n", ""), data))
                .isEqualTo(new Base64Layout(76, LineTerminator.CRLF, false, ""));
        assertThat(detectAndCheck(wrap(data, 76, "\r\n", "\r\n\r\n \t"), data))
                .isEqualTo(new Base64Layout(76, LineTerminator.CRLF, true, "\r\n \t"));
    }

    @Test
    void singleLineAndEmptyInput() {
        byte[] data = bytes("Hello");
        assertThat(detectAndCheck(bytes("SGVsbG8="), data))
                .isEqualTo(new Base64Layout(0, LineTerminator.CRLF, false, ""));
        assertThat(detectAndCheck(bytes("SGVsbG8=\n"), data))
                .isEqualTo(new Base64Layout(0, LineTerminator.LF, true, ""));
        assertThat(detectAndCheck(new byte[0], new byte[0])).isEqualTo(new Base64Layout(0, LineTerminator.CRLF, false, ""));
        assertThat(detectAndCheck(bytes("\r\n"), new byte[0]).trailer()).isEqualTo("\r\n");
        // Exactly one full line of 76 followed by CRLF.
        byte[] fiftySeven = random(new Random(4), 57);
        detectAndCheck(wrap(fiftySeven, 76, "\r\n", "\r\n"), fiftySeven);
    }

    @Test
    void subRangeOfALargerBuffer() {
        byte[] data = random(new Random(5), 200);
        byte[] enc = wrap(data, 64, "\r\n", "");
        byte[] framed = new byte[enc.length + 20];
        Arrays.fill(framed, (byte) '-');
        System.arraycopy(enc, 0, framed, 10, enc.length);
        Optional<Base64Layout> layout = Base64Layout.detect(framed, 10, 10 + enc.length);
        assertThat(layout).contains(new Base64Layout(64, LineTerminator.CRLF, false, ""));
    }

    @Test
    void rejectsIrregularLayouts() {
        assertThat(Base64Layout.detect(bytes("SGVs\r\nbG8sIHdv\r\ncmxk"), 0, 18)).isEmpty(); // uneven lines
        byte[] mixed = bytes("QUFBQUFB\r\nQUFBQUFB\nQUFB");
        assertThat(Base64Layout.detect(mixed, 0, mixed.length)).isEmpty(); // mixed terminators
        assertThat(Base64Layout.detect(bytes("SGVsbG8"), 0, 7)).isEmpty(); // missing padding
        assertThat(Base64Layout.detect(bytes("SGVsbG9="), 0, 8)).isEmpty(); // non-zero trailing bits
        assertThat(Base64Layout.detect(bytes("SGVs bG8="), 0, 9)).isEmpty(); // space inside a line
        assertThat(Base64Layout.detect(bytes("SGVs*bG8="), 0, 9)).isEmpty(); // junk character
        assertThat(Base64Layout.detect(bytes("\r\nSGVsbG8="), 0, 10)).isEmpty(); // leading line break
        byte[] longLast = bytes("QUFB\r\nQUFBQUFB");
        assertThat(Base64Layout.detect(longLast, 0, longLast.length)).isEmpty(); // last line longer
        byte[] trailingJunk = bytes("QUFB\r\nQUFB\r\nx");
        assertThat(Base64Layout.detect(trailingJunk, 0, trailingJunk.length)).isEmpty();
    }

    @Test
    void fuzzRoundTrips() {
        Random r = new Random(20240601);
        String[] separators = {"\r\n", "\n"};
        String[] tails = {"", "\r\n", "\n", "\r\n\r\n", " ", "\r\n \r\n"};
        for (int i = 0; i < 3000; i++) {
            byte[] data = random(r, r.nextInt(i % 10 == 0 ? 5000 : 300));
            int lineLength = 4 * (1 + r.nextInt(25)); // java.util.Base64 rounds to multiples of 4
            String sep = separators[r.nextInt(2)];
            String tail = tails[r.nextInt(tails.length)];
            if (tail.startsWith("\r\n") && sep.equals("\n") || tail.startsWith("\n") && sep.equals("\r\n")) tail = "";
            byte[] enc = wrap(data, lineLength, sep, tail);
            Base64Layout layout = detectAndCheck(enc, data);
            assertThat(TransferEncoding.decodeBase64(enc, 0, enc.length)).isEqualTo(data);
            if (data.length * 4 / 3 > lineLength + 3) assertThat(layout.lineLengthChars()).isEqualTo(lineLength);
        }
    }

    @Test
    void fuzzOddLineLengthsWithOwnEncoder() {
        Random r = new Random(77);
        for (int i = 0; i < 1000; i++) {
            byte[] data = random(r, r.nextInt(400));
            Base64Layout layout = new Base64Layout(1 + r.nextInt(100), r.nextBoolean() ? LineTerminator.CRLF
                    : LineTerminator.LF, r.nextBoolean(), r.nextBoolean() ? "" : " \t");
            byte[] enc = layout.encode(data);
            assertThat(enc.length).isEqualTo(layout.encodedLength(data.length));
            Optional<Base64Layout> detected = Base64Layout.detect(enc, 0, enc.length);
            assertThat(detected).isPresent();
            assertThat(detected.get().encode(data)).isEqualTo(enc);
            // Corrupting one alphabet character in the middle must not yield a layout that rebuilds
            // different bytes: either detection fails, or it reproduces the corrupted input exactly.
            if (enc.length > 8) {
                byte[] bad = enc.clone();
                int at = r.nextInt(bad.length);
                bad[at] = (byte) "!A\r\n= ".charAt(r.nextInt(6));
                Base64Layout.detect(bad, 0, bad.length).ifPresent(l -> assertThat(
                        l.encode(TransferEncoding.decodeBase64(bad, 0, bad.length))).isEqualTo(bad));
            }
        }
    }

    @Test
    void rejectsMalformedPersistentForms() {
        assertThatThrownBy(() -> Base64Layout.fromBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base64Layout.fromBytes(new byte[] {9, 0, 76, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base64Layout.fromBytes(new byte[] {1, 0, 76, 5, ' '}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Base64Layout.fromBytes(new byte[] {1, 0, 76, 1, 'x'}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Base64Layout(76, LineTerminator.CRLF, false, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
