package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.net.Tls;
import dev.postvault.smtp.client.MxResolver;
import dev.postvault.smtp.client.TestDns;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound DNS over HTTPS (RFC 8484) against a real DoH server: Debian's unbound answering on an
 * HTTPS listener on 127.0.0.7 under a private CA, asked through {@code MxResolver.overHttps} (dnsjava's
 * DohResolver), the way `serve --outbound-resolver https://...` asks it.
 */
class DnsOverHttpsTest {
    @TempDir Path dir;

    @Test
    void mxAddressAndTxtAnswersComeOverHttps() throws Exception {
        TestCa ca = TestCa.create("DoH Test CA");
        TestCa.Leaf leaf = ca.issue(dir, "doh", "127.0.0.7");
        int httpsPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.7"))) {
            httpsPort = s.getLocalPort();
        }
        TestDns dns = TestDns.start(dir, List.of("two.test. MX 10 mx.two.test.", "mx.two.test. A 127.0.0.2",
                "_mta-sts.two.test. TXT \"v=STSv1; id=9\"", "nomail.test. MX 0 ."), "two.test", """
                  interface: 127.0.0.7@%d
                  https-port: %d
                  tls-service-key: "%s"
                  tls-service-pem: "%s"
                  http-endpoint: "/dns-query"
                """.formatted(httpsPort, httpsPort, leaf.keyFile(), leaf.certFile()));
        assumeTrue(dns != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");
        // dnsjava's DohResolver uses the JVM's default TLS trust: trust the private CA for this test only.
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(Tls.clientVerifying(List.of(ca.root)));
        try (dns) {
            MxResolver doh = MxResolver.overHttps(URI.create("https://127.0.0.7:" + httpsPort + "/dns-query"), Duration.ofSeconds(5));
            var route = doh.route("two.test");
            assertThat(route).isInstanceOf(MxResolver.Route.Hosts.class);
            var host = ((MxResolver.Route.Hosts) route).hosts().getFirst();
            assertThat(host.name()).isEqualTo("mx.two.test");
            assertThat(host.addresses()).containsExactly(InetAddress.getByName("127.0.0.2"));
            assertThat(doh.txt("_mta-sts.two.test")).isEqualTo(new MxResolver.TxtAnswer.Records(List.of("v=STSv1; id=9")));
            assertThat(doh.route("nomail.test")).isInstanceOf(MxResolver.Route.NoMail.class);
            assertThat(doh.route("absent.test")).isInstanceOf(MxResolver.Route.NoSuchDomain.class);
            // The plain UDP port of the same unbound gives the same answer: the HTTPS listener is the same resolver.
            assertThat(((MxResolver.Route.Hosts) new MxResolver(dns.address, Duration.ofSeconds(5)).route("two.test")).hosts())
                    .isEqualTo(((MxResolver.Route.Hosts) route).hosts());
        } finally {
            SSLContext.setDefault(before);
        }
    }

    @Test
    void onlyAnHttpsAddressIsDnsOverHttps() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MxResolver.overHttps(URI.create("http://127.0.0.7/dns-query"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
