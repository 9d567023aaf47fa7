package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.postvault.net.Tls;
import dev.postvault.smtp.client.MtaStsFetcher;
import dev.postvault.smtp.client.MtaStsPolicy;
import dev.postvault.smtp.client.MxResolver;
import dev.postvault.smtp.client.TestDns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS discovery and fetch (RFC 8461 §3) against unbound and a real HTTPS server under a private
 * CA: what counts as a published policy, and every way a fetch must fail rather than yield a policy.
 */
class MtaStsFetcherTest {
    @TempDir static Path dir;
    private static TestDns dns;
    private static HttpsServer https;
    private static MtaStsFetcher fetcher;
    private static MtaStsFetcher trustingNothingExtra;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = TestCa.create("Fetcher Test CA");
        String[] hosts = {"mta-sts.good.test", "mta-sts.redirect.test", "mta-sts.html.test", "mta-sts.huge.test"};
        https = HttpsServer.create(new InetSocketAddress("127.0.0.6", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ca.issue(dir, "policy", hosts).serverContext()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            byte[] body = "version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 3600\n".getBytes(StandardCharsets.US_ASCII);
            switch (host) {
                case "mta-sts.redirect.test" -> {
                    exchange.getResponseHeaders().set("Location", "https://mta-sts.good.test/.well-known/mta-sts.txt");
                    exchange.sendResponseHeaders(301, -1);
                }
                case "mta-sts.html.test" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                case "mta-sts.huge.test" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, 0); // no length: read to the end, which never comes within the cap
                    byte[] line = "x-padding: 0123456789012345678901234567890123456789\n".getBytes(StandardCharsets.US_ASCII);
                    try {
                        for (int i = 0; i < 5_000; i++) exchange.getResponseBody().write(line);
                    } catch (IOException closedByClient) {
                        // the client stopped reading at the cap
                    }
                }
                default -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
            exchange.close();
        });
        https.start();
        dns = TestDns.start(dir, List.of(
                "_mta-sts.good.test. TXT \"v=STSv1; id=abc123\"", "mta-sts.good.test. A 127.0.0.6",
                "_mta-sts.two.test. TXT \"v=STSv1; id=1\"", "_mta-sts.two.test. TXT \"v=STSv1; id=2\"",
                "_mta-sts.badid.test. TXT \"v=STSv1; id=not-alnum!\"",
                "_mta-sts.other.test. TXT \"v=spf1 -all\"",
                "mta-sts.redirect.test. A 127.0.0.6", "mta-sts.html.test. A 127.0.0.6", "mta-sts.huge.test. A 127.0.0.6",
                "mta-sts.wrongname.test. A 127.0.0.6"), "mta-sts.good.test");
        assumeTrue(dns != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");
        MxResolver resolver = new MxResolver(dns.address, Duration.ofSeconds(5));
        fetcher = new MtaStsFetcher(resolver, Tls.clientVerifying(List.of(ca.root)), https.getAddress().getPort(), Duration.ofSeconds(5));
        trustingNothingExtra = new MtaStsFetcher(resolver, Tls.clientVerifying(List.of()), https.getAddress().getPort(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (https != null) https.stop(0);
        if (dns != null) dns.close();
    }

    @Test
    void onlyExactlyOneValidStsRecordPublishesAPolicy() {
        assertThat(fetcher.discover("good.test")).isEqualTo(new MtaStsFetcher.Discovery.Published("abc123"));
        assertThat(fetcher.discover("two.test")).isInstanceOf(MtaStsFetcher.Discovery.NotPublished.class); // §3.1: more than one
        assertThat(fetcher.discover("badid.test")).isInstanceOf(MtaStsFetcher.Discovery.NotPublished.class);
        assertThat(fetcher.discover("other.test")).isInstanceOf(MtaStsFetcher.Discovery.NotPublished.class);
        assertThat(fetcher.discover("absent.test")).isInstanceOf(MtaStsFetcher.Discovery.NotPublished.class);
    }

    @Test
    void aPolicyServedOverVerifiedHttpsIsParsed() throws Exception {
        Instant now = Instant.now();
        MtaStsPolicy p = fetcher.fetch("good.test", "abc123", now);
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mx.good.test");
        assertThat(p.id()).isEqualTo("abc123");
        assertThat(p.fetchedAt()).isEqualTo(now);
    }

    @Test
    void redirectsOtherMediaTypesOversizedBodiesAndUnverifiedCertificatesYieldNoPolicy() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> fetcher.fetch("redirect.test", "1", now)).isInstanceOf(IOException.class).hasMessageContaining("301");
        assertThatThrownBy(() -> fetcher.fetch("html.test", "1", now)).isInstanceOf(IOException.class).hasMessageContaining("text/plain");
        assertThatThrownBy(() -> fetcher.fetch("huge.test", "1", now)).isInstanceOf(IOException.class).hasMessageContaining("too large");
        // The certificate names other hosts; and without the private CA, even the right name does not verify.
        assertThatThrownBy(() -> fetcher.fetch("wrongname.test", "1", now)).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThatThrownBy(() -> trustingNothingExtra.fetch("good.test", "1", now)).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThatThrownBy(() -> fetcher.fetch("absent.test", "1", now)).isInstanceOf(IOException.class).hasMessageContaining("no address");
    }
}
