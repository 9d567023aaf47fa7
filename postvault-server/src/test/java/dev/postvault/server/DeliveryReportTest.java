package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryReportTest {
    @Test
    void theStatusOfAFailedRecipientIsItsReplysEnhancedCodeMadePermanent() {
        assertThat(DeliveryReport.status("550 5.1.1 Mailbox unavailable")).isEqualTo("5.1.1");
        assertThat(DeliveryReport.status("451 4.4.7 Delivery time expired (5 days)")).isEqualTo("5.4.7"); // RFC 3464: failed is 5.x.x
        assertThat(DeliveryReport.status("554 no enhanced code here")).isEqualTo("5.0.0");
    }

    @Test
    void retriesBackOffFromAMinuteToAnHour() {
        assertThat(OutboundDelivery.backoff(Duration.ofMinutes(1), 1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OutboundDelivery.backoff(Duration.ofMinutes(1), 2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(OutboundDelivery.backoff(Duration.ofMinutes(1), 6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(OutboundDelivery.backoff(Duration.ofMinutes(1), 7)).isEqualTo(Duration.ofHours(1));
        assertThat(OutboundDelivery.backoff(Duration.ofMinutes(1), 500)).isEqualTo(Duration.ofHours(1));
    }
}
