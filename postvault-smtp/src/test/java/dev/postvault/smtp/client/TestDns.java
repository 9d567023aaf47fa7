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
    private final List<Process> processes;
    public final InetSocketAddress address;

    private TestDns(Process process, InetSocketAddress address) {
        this(List.of(process), address);
    }

    private TestDns(List<Process> processes, InetSocketAddress address) {
        this.processes = processes;
        this.address = address;
    }

    /**
     * A DNSSEC-signed zone and a validating resolver in front of it, for DANE: ldns-signzone (Debian's
     * ldnsutils) signs {@code zone} holding {@code records} (with NSEC, so denials validate too) under a
     * fresh ECDSA P-256 key; one unbound serves it authoritatively, a second one validates with that key
     * as its only trust anchor and is what {@link #address} points at, so answers from the zone carry
     * the AD bit. Null when unbound or ldnsutils is missing.
     */
    public static TestDns startSigned(Path dir, String zone, List<String> records, String probe) throws Exception {
        Path unbound = Path.of("/usr/sbin/unbound");
        if (!Files.isExecutable(unbound) || !Files.isExecutable(Path.of("/usr/bin/ldns-signzone"))) return null;
        String origin = zone.endsWith(".") ? zone : zone + ".";
        StringBuilder z = new StringBuilder("$ORIGIN " + origin + "\n$TTL 300\n");
        z.append("@ IN SOA ns.").append(origin).append(" hostmaster.").append(origin).append(" 1 3600 600 86400 300\n");
        z.append("@ IN NS ns.").append(origin).append("\nns IN A 127.0.0.1\n");
        for (String r : records) z.append(r).append('\n');
        Files.writeString(dir.resolve("zone"), z);
        String key = run(dir, "ldns-keygen", "-a", "ECDSAP256SHA256", "-k", origin).strip();
        run(dir, "ldns-signzone", "-f", dir.resolve("zone.signed").toString(), dir.resolve("zone").toString(), key);
        int authPort = freeUdpPort();
        int port = freeUdpPort();
        // unbound serves test. (RFC 6761) as an empty local zone by default; this one is ours.
        String ours = "  local-zone: \"test.\" nodefault\n";
        Path authConf = dir.resolve("unbound-auth.conf");
        Files.writeString(authConf, serverLines(authPort, dir) + ours + """
                  module-config: "iterator"
                auth-zone:
                  name: "%s"
                  zonefile: "%s"
                  for-downstream: yes
                  for-upstream: no
                remote-control:
                  control-enable: no
                """.formatted(origin, dir.resolve("zone.signed")));
        Path validatorConf = dir.resolve("unbound-validator.conf");
        Files.writeString(validatorConf, serverLines(port, dir) + ours + """
                  module-config: "validator iterator"
                  do-not-query-localhost: no
                  trust-anchor-file: "%s"
                stub-zone:
                  name: "%s"
                  stub-addr: 127.0.0.1@%d
                remote-control:
                  control-enable: no
                """.formatted(dir.resolve(key + ".key"), origin, authPort));
        Process auth = new ProcessBuilder(unbound.toString(), "-d", "-c", authConf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("unbound-auth.log").toFile()).start();
        Process validator = new ProcessBuilder(unbound.toString(), "-d", "-c", validatorConf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("unbound-validator.log").toFile()).start();
        var dns = new TestDns(List.of(auth, validator), new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        MxResolver probeResolver = new MxResolver(dns.address, Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(probeResolver.mxSecurely(probe) instanceof MxResolver.Secured.Secure)) {
            if (System.nanoTime() > deadline) {
                dns.close();
                throw new IllegalStateException("the signed zone did not validate: " + Files.readString(dir.resolve("unbound-validator.log")));
            }
            Thread.sleep(100);
        }
        return dns;
    }

    /** unbound's "server:" clause for a foreground instance on 127.0.0.1:{@code port}, its files in {@code dir}. */
    private static String serverLines(int port, Path dir) {
        return """
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
                """.formatted(port, dir);
    }

    private static int freeUdpPort() throws Exception {
        try (var s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
        return out;
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
        Files.writeString(conf, serverLines(port, dir) + """
                  module-config: "iterator"
                %s%s
                remote-control:
                  control-enable: no
                """.formatted(zone, extraServerLines));
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
        processes.forEach(Process::destroyForcibly);
    }
}
