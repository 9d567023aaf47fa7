package dev.postvault.smtp.client;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's unbound serving static test zones on a free loopback port, for tests of mail that goes by
 * DNS (MxResolverTest here, OutboundDeliveryTest in the server). {@link #start} returns null when
 * unbound is not installed ({@code scripts/install-test-tools.sh} installs it).
 */
public final class TestDns implements AutoCloseable {
    private final Process process;
    public final InetSocketAddress address;

    private TestDns(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts unbound answering {@code localData} (unbound {@code local-data:} lines' values, e.g.
     * {@code "two.test. MX 10 mx.two.test."}) under the static zone {@code test.}, and waits until it
     * answers {@code probe} (a name among them).
     */
    public static TestDns start(Path dir, List<String> localData, String probe) throws Exception {
        return start(dir, localData, probe, "");
    }

    /** As above, with {@code extraServerLines} (indented unbound "server:" options, e.g. a DNS-over-HTTPS listener). */
    public static TestDns start(Path dir, List<String> localData, String probe, String extraServerLines) throws Exception {
        Path binary = null;
        for (String p : List.of("/usr/sbin/unbound", "/usr/bin/unbound")) if (Files.isExecutable(Path.of(p))) binary = Path.of(p);
        if (binary == null) return null;
        int port;
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder zone = new StringBuilder("  local-zone: \"test.\" static\n");
        // unbound takes a record holding double quotes (TXT strings) inside single quotes, unescaped.
        for (String d : localData) zone.append("  local-data: ").append(d.contains("\"") ? "'" + d + "'" : "\"" + d + "\"").append('\n');
        Path conf = dir.resolve("unbound.conf");
        Files.writeString(conf, """
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-ip6: no
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
                %s%s
                remote-control:
                  control-enable: no
                """.formatted(port, dir, zone, extraServerLines));
        Process process = new ProcessBuilder(binary.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.log").toFile()).start();
        var dns = new TestDns(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        MxResolver probeResolver = new MxResolver(dns.address, Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (probeResolver.route(probe) instanceof MxResolver.Route.Temporary) {
            if (System.nanoTime() > deadline) {
                dns.close();
                throw new IllegalStateException("unbound did not answer: " + Files.readString(dir.resolve("unbound.log")));
            }
            Thread.sleep(100);
        }
        return dns;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
