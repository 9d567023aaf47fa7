package dev.postvault.imap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MailboxNamesTest {

    @Test
    void rfc3501Example() { // RFC 3501 §5.1.3
        String wire = "~peter/mail/&U,BTFw-/&ZeVnLIqe-";
        assertThat(MailboxNames.decodeModifiedUtf7(wire)).contains("~peter/mail/台北/日本語");
        assertThat(MailboxNames.encodeModifiedUtf7("~peter/mail/台北/日本語")).isEqualTo(wire);
    }

    @Test
    void ampersandAndAscii() {
        assertThat(MailboxNames.encodeModifiedUtf7("Tom & Jerry")).isEqualTo("Tom &- Jerry");
        assertThat(MailboxNames.decodeModifiedUtf7("Tom &- Jerry")).contains("Tom & Jerry");
        assertThat(MailboxNames.encodeModifiedUtf7("plain/ASCII ~!")).isEqualTo("plain/ASCII ~!");
        assertThat(MailboxNames.encodeModifiedUtf7("Entwürfe")).isEqualTo("Entw&APw-rfe");
        assertThat(MailboxNames.encodeModifiedUtf7("\u0001")).isEqualTo("&AAE-");
        assertThat(MailboxNames.encodeModifiedUtf7("😀")).isEqualTo("&2D3eAA-");
        assertThat(MailboxNames.decodeModifiedUtf7("&2D3eAA-")).contains("😀");
    }

    @Test
    void invalidModifiedUtf7IsRejected() {
        assertThat(MailboxNames.decodeModifiedUtf7("Tom & Jerry")).isEmpty(); // unterminated shift
        assertThat(MailboxNames.decodeModifiedUtf7("&U,BTFw")).isEmpty(); // no "-"
        assertThat(MailboxNames.decodeModifiedUtf7("&AGE-")).isEmpty(); // "a" must represent itself
        assertThat(MailboxNames.decodeModifiedUtf7("&U,BTF-")).isEmpty(); // non-zero padding bits
        assertThat(MailboxNames.decodeModifiedUtf7("&U/BTFw-")).isEmpty(); // "/" is not modified BASE64
        assertThat(MailboxNames.decodeModifiedUtf7("&2D0-")).isEmpty(); // unpaired surrogate
        assertThat(MailboxNames.decodeModifiedUtf7("é")).isEmpty(); // 8-bit
        assertThat(MailboxNames.decodeModifiedUtf7("a\tb")).isEmpty(); // control character
    }

    @Test
    void inboxIsCaseInsensitive() { // RFC 9051 §5.1
        assertThat(MailboxNames.normalizeInbox("iNbOx")).isEqualTo("INBOX");
        assertThat(MailboxNames.normalizeInbox("INBOX.Sent")).isEqualTo("INBOX.Sent");
        assertThat(MailboxNames.isInbox("inbox")).isTrue();
        assertThat(MailboxNames.toWire("台北", true)).isEqualTo("台北");
        assertThat(MailboxNames.toWire("台北", false)).isEqualTo("&U,BTFw-");
    }

    @Test
    void randomNamesRoundTrip() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                int kind = random.nextInt(4);
                int codePoint = switch (kind) {
                    case 0 -> 0x20 + random.nextInt(0x5f);
                    case 1 -> '&';
                    case 2 -> 0x80 + random.nextInt(0xd700);
                    default -> 0x10000 + random.nextInt(0x10000);
                };
                name.appendCodePoint(codePoint);
            }
            String encoded = MailboxNames.encodeModifiedUtf7(name.toString());
            assertThat(encoded).matches("[\\x20-\\x7e]*");
            assertThat(MailboxNames.decodeModifiedUtf7(encoded)).as(encoded).contains(name.toString());
        }
    }
}
