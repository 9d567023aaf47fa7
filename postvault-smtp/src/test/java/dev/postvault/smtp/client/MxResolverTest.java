package dev.postvault.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.smtp.client.MxResolver.Host;
import dev.postvault.smtp.client.MxResolver.Route;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
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
    private static Process unbound;
    private static int port;

    private static final String ZONE = """
              local-zone: "test." static
              local-data: "two.test. MX 10 mx-a.two.test."
              local-data: "two.test. MX 20 mx-b.two.test."
              local-data: "two.test. MX 10 mx-c.two.test."
              local-data: "mx-a.two.test. A 127.0.0.2"
              local-data: "mx-b.two.test. A 127.0.0.3"
              local-data: "mx-c.two.test. AAAA ::1"
              local-data: "mx-c.two.test. A 127.0.0.4"
              local-data: "implicit.test. A 127.0.0.5"
              local-data: "nullmx.test. MX 0 ."
              local-data: "dangling.test. MX 10 missing.dangling.test."
              local-data: "partly.test. MX 10 missing.partly.test."
              local-data: "partly.test. MX 20 there.partly.test."
              local-data: "there.partly.test. A 127.0.0.6"
              local-data: "textonly.test. TXT \\"v=spf1 -all\\""
            """;

    private static Path unboundBinary() {
        for (String p : List.of("/usr/sbin/unbound", "/usr/bin/unbound")) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        return null;
    }

    @BeforeAll
    static void startUnbound() throws Exception {
        Path binary = unboundBinary();
        assumeTrue(binary != null, "unbound is not installed (scripts/install-test-tools.sh installs it)");
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("unbound.conf");
        Files.writeString(conf, """
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-ip6: no
                  do-tcp: yes
                  do-daemonize: no
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: ""
                  use-syslog: no
                  logfile: ""
                  verbosity: 0
                  access-control: 127.0.0.0/8 allow
                  module-config: "iterator"
                %s
                remote-control:
                  control-enable: no
                """.formatted(port, dir, ZONE));
        unbound = new ProcessBuilder(binary.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.log").toFile()).start();
        MxResolver probe = resolver();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (probe.route("implicit.test") instanceof Route.Temporary && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(probe.route("implicit.test")).as(Files.readString(dir.resolve("unbound.log"))).isInstanceOf(Route.Hosts.class);
    }

    @AfterAll
    static void stopUnbound() {
        if (unbound != null) unbound.destroyForcibly();
    }

    private static MxResolver resolver() {
        return new MxResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofSeconds(2));
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
