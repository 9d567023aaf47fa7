package dev.postvault.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.smtp.client.MxResolver.Host;
import dev.postvault.smtp.client.MxResolver.Route;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5321 §5.1 and RFC 7505 against a real DNS server: Debian's unbound serving test zones on loopback. */
class MxResolverTest {
    @TempDir static Path dir;
    private static TestDns dns;

    private static final List<String> ZONE = List.of(
            "two.test. MX 10 mx-a.two.test.",
            "two.test. MX 20 mx-b.two.test.",
            "two.test. MX 10 mx-c.two.test.",
            "mx-a.two.test. A 127.0.0.2",
            "mx-b.two.test. A 127.0.0.3",
            "mx-c.two.test. AAAA ::1",
            "mx-c.two.test. A 127.0.0.4",
            "implicit.test. A 127.0.0.5",
            "nullmx.test. MX 0 .",
            "dangling.test. MX 10 missing.dangling.test.",
            "partly.test. MX 10 missing.partly.test.",
            "partly.test. MX 20 there.partly.test.",
            "there.partly.test. A 127.0.0.6",
            "textonly.test. TXT \"v=spf1 -all\"");

    @BeforeAll
    static void startUnbound() throws Exception {
        dns = TestDns.start(dir, ZONE, "implicit.test");
        assumeTrue(dns != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");
    }

    @AfterAll
    static void stopUnbound() {
        if (dns != null) dns.close();
    }

    private static MxResolver resolver() {
        return new MxResolver(dns.address, Duration.ofSeconds(2));
    }

    private static Route.Hosts hosts(Route r) {
        assertThat(r).isInstanceOf(Route.Hosts.class);
        return (Route.Hosts) r;
    }

    @Test
    void mxHostsComeInPreferenceOrderWithEqualOnesShuffledAndEachWithItsAddresses() throws Exception {
        Set<String> firstSeen = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<Host> hosts = hosts(resolver().route("Two.Test")).hosts();
            assertThat(hosts).extracting(Host::preference).containsExactly(10, 10, 20);
            assertThat(hosts.subList(0, 2)).extracting(Host::name).containsExactlyInAnyOrder("mx-a.two.test", "mx-c.two.test");
            assertThat(hosts.get(2).name()).isEqualTo("mx-b.two.test");
            Host c = hosts.stream().filter(h -> h.name().equals("mx-c.two.test")).findFirst().orElseThrow();
            assertThat(c.addresses()).containsExactly(InetAddress.getByName("::1"), InetAddress.getByName("127.0.0.4"));
            firstSeen.add(hosts.getFirst().name());
        }
        assertThat(firstSeen).as("equal preferences are tried in varying order").hasSize(2);
    }

    @Test
    void withoutMxTheDomainItselfIsTheHost() throws Exception {
        assertThat(hosts(resolver().route("implicit.test")).hosts())
                .containsExactly(new Host("implicit.test", 0, List.of(InetAddress.getByName("127.0.0.5"))));
    }

    @Test
    void nullMxNoDomainAndNoAddressAreFinalAnswers() {
        assertThat(resolver().route("nullmx.test")).isInstanceOf(Route.NoMail.class); // RFC 7505
        assertThat(resolver().route("nowhere.test")).isInstanceOf(Route.NoSuchDomain.class);
        assertThat(resolver().route("dangling.test")).isInstanceOf(Route.NoSuchDomain.class);
        assertThat(resolver().route("textonly.test")).isInstanceOf(Route.NoSuchDomain.class);
        assertThat(hosts(resolver().route("partly.test")).hosts()).extracting(Host::name).containsExactly("there.partly.test");
    }

    @Test
    void aResolverThatDoesNotAnswerIsATemporaryFailure() throws Exception {
        int silent;
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        var r = new MxResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent), Duration.ofMillis(300)).route("two.test");
        assertThat(r).isInstanceOf(Route.Temporary.class);
    }
}
