package dev.postvault.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ReceivedHeaderTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2025, 3, 7, 9, 5, 30, 0, ZoneOffset.UTC);

    @Test
    void formatsAFoldedTraceHeaderWithoutRecipient() throws Exception {
        String header = new String(ReceivedHeader.format("client.example", InetAddress.getByName("192.0.2.7"),
                "mx.test", TraceProtocol.ESMTPS, "abc123", DATE), StandardCharsets.US_ASCII);
        assertThat(header).isEqualTo("Received: from client.example ([192.0.2.7])\r\n"
                + "\tby mx.test with ESMTPS id abc123;\r\n"
                + "\tFri, 7 Mar 2025 09:05:30 +0000\r\n");
        assertThat(header).doesNotContain(" for ");
    }

    @Test
    void ipv6UsesTheTaggedLiteral() throws Exception {
        assertThat(ReceivedHeader.addressLiteral(InetAddress.getByName("2001:db8::1")))
                .isEqualTo("[IPv6:2001:db8:0:0:0:0:0:1]");
    }

    @Test
    void protocolNames() {
        assertThat(TraceProtocol.of(false, false, false, false)).isEqualTo(TraceProtocol.SMTP);
        assertThat(TraceProtocol.of(true, false, false, false)).isEqualTo(TraceProtocol.ESMTP);
        assertThat(TraceProtocol.of(true, true, false, false)).isEqualTo(TraceProtocol.ESMTPS);
        assertThat(TraceProtocol.of(true, true, true, false)).isEqualTo(TraceProtocol.ESMTPSA);
        assertThat(TraceProtocol.of(true, false, false, true)).isEqualTo(TraceProtocol.UTF8SMTP);
        assertThat(TraceProtocol.of(true, true, false, true)).isEqualTo(TraceProtocol.UTF8SMTPS);
        assertThat(TraceProtocol.of(true, true, true, true)).isEqualTo(TraceProtocol.UTF8SMTPSA);
    }
}
