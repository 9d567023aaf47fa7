package dev.postvault.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MtaStsPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-08T02:00:00Z");

    private static MtaStsPolicy parse(String body) throws Exception {
        return MtaStsPolicy.parse(body.getBytes(StandardCharsets.UTF_8), "id1", NOW);
    }

    @Test
    void theRfcExamplePolicyParses() throws Exception {
        // RFC 8461 §3.2's example, with CRLF line ends and an unknown field that must be ignored.
        MtaStsPolicy p = parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\n"
                + "max_age: 604800\r\nextension: ignored\r\n");
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(p.fresh(NOW.plus(Duration.ofDays(6)))).isTrue();
        assertThat(p.fresh(NOW.plus(Duration.ofDays(7)))).isFalse();
    }

    @Test
    void mxPatternsMatchExactlyOrInTheLeftmostLabelOnly() throws Exception {
        MtaStsPolicy p = parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n");
        assertThat(p.allows("mail.example.com")).isTrue();
        assertThat(p.allows("MAIL.Example.COM.")).isTrue();
        assertThat(p.allows("mx1.example.net")).isTrue();
        assertThat(p.allows("example.net")).isFalse(); // §4.1: the wildcard stands for exactly one label
        assertThat(p.allows("a.b.example.net")).isFalse();
        assertThat(p.allows("mail.example.com.evil.test")).isFalse();
    }

    @Test
    void invalidPoliciesAreRefusedAndAnOverlongMaxAgeIsCapped() throws Exception {
        assertThatThrownBy(() -> parse("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n"))
                .isInstanceOf(MtaStsPolicy.InvalidPolicyException.class);
        assertThatThrownBy(() -> parse("version: STSv1\nmode: enforce\nmax_age: 1\n")).hasMessageContaining("no mx");
        assertThatThrownBy(() -> parse("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n")).hasMessageContaining("mode");
        assertThatThrownBy(() -> parse("version: STSv1\nmode: enforce\nmx: a.example\n")).hasMessageContaining("max_age");
        assertThatThrownBy(() -> parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n")).hasMessageContaining("max_age");
        assertThatThrownBy(() -> parse("version: STSv1\nmode: enforce\nmx: a b\nmax_age: 5\n")).hasMessageContaining("mx");
        assertThat(parse("version: STSv1\nmode: none\nmax_age: 9999999999\n").maxAge().toSeconds()).isEqualTo(MtaStsPolicy.MAX_AGE_LIMIT);
    }
}
