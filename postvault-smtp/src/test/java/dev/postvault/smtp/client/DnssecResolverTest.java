package dev.postvault.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MX and TLSA answers with the validating resolver's verdict: a zone signed by ldns-signzone behind a validating unbound. */
class DnssecResolverTest {
    @TempDir Path dir;

    @Test
    void signedAnswersAreSecureAndDenialsToo() throws Exception {
        String hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        TestDns dns = TestDns.startSigned(dir, "dane.test", List.of(
                "good IN MX 10 mx.good", "mx.good IN A 127.0.0.8", "_25._tcp.mx.good IN TLSA 3 1 1 " + hash,
                "plain IN MX 10 mx.plain", "mx.plain IN A 127.0.0.8"), "good.dane.test");
        assumeTrue(dns != null, "unbound or ldnsutils is not installed (scripts/install-test-tools.sh installs them)");
        try (dns) {
            MxResolver r = new MxResolver(dns.address, Duration.ofSeconds(5));
            assertThat(r.mxSecurely("good.dane.test")).isEqualTo(new MxResolver.Secured.Secure<>(List.of("mx.good.dane.test")));
            var tlsa = r.tlsa("mx.good.dane.test", 25);
            assertThat(tlsa).isInstanceOf(MxResolver.Secured.Secure.class);
            var record = ((MxResolver.Secured.Secure<DaneVerifier.Tlsa>) tlsa).records().getFirst();
            assertThat(record.usage()).isEqualTo(3);
            assertThat(record.selector()).isEqualTo(1);
            assertThat(record.matchingType()).isEqualTo(1);
            assertThat(HexFormat.of().formatHex(record.data())).isEqualTo(hash);
            // A host without TLSA records: a secure denial (NSEC), not an insecure answer.
            assertThat(r.tlsa("mx.plain.dane.test", 25)).isEqualTo(new MxResolver.Secured.Secure<>(List.of()));
            assertThat(r.tlsa("mx.good.dane.test", 587)).isEqualTo(new MxResolver.Secured.Secure<>(List.of()));
            // The plain lookups still work through the validating resolver.
            assertThat(r.route("plain.dane.test")).isInstanceOf(MxResolver.Route.Hosts.class);
        }
    }
}
