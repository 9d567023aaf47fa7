package dev.postvault.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's Postfix as another domain's MX, for tests of outbound delivery: a private instance (its own
 * configuration, queue and Maildir under a test directory) whose smtpd listens on one loopback
 * address, offers STARTTLS with the given certificate, answers recipients from an access map
 * (e.g. {@code 451} or {@code 550} for chosen addresses; changeable while it runs) and delivers
 * everything else into one Maildir. Postfix's master must start as root; {@link #start} returns null
 * when Postfix is not installed or the tests do not run as root ({@code scripts/install-test-tools.sh}
 * installs it).
 */
final class TestPostfix implements AutoCloseable {
    private final Path dir;
    final InetAddress address;
    final int port;

    private TestPostfix(Path dir, InetAddress address, int port) {
        this.dir = dir;
        this.address = address;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/postfix")) && "root".equals(System.getProperty("user.name"));
    }

    /**
     * A port free on every one of {@code addresses} (loopback addresses): outbound delivery reaches
     * every remote MX on one port, as on the internet (25).
     */
    static int freePort(String... addresses) throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                port = s.getLocalPort();
            }
            boolean free = true;
            for (String a : addresses) {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(a))) {
                    // free here too
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) return port;
        }
        throw new IOException("no port free on all of the addresses");
    }

    /**
     * Starts Postfix on {@code address}:{@code port}, as {@code hostname}, accepting mail for
     * {@code domain}.
     *
     * @param tls certificate chain and key PEM files for STARTTLS; none: no STARTTLS
     * @param access recipient address to reply ("451 4.3.0 try later"), for {@code check_recipient_access}
     */
    static TestPostfix start(Path dir, String address, int port, String hostname, String domain, Optional<TestCa.Leaf> tls,
                             Map<String, String> access) throws Exception {
        return start(dir, address, port, hostname, domain, tls, access, "");
    }

    /** As above, with {@code extraMainCf} appended to main.cf (e.g. extensions to withhold). */
    static TestPostfix start(Path dir, String address, int port, String hostname, String domain, Optional<TestCa.Leaf> tls,
                             Map<String, String> access, String extraMainCf) throws Exception {
        if (!available()) return null;
        InetAddress a = InetAddress.getByName(address);
        // Postfix's daemons run as the postfix user and must reach the queue: open the test
        // directories (JUnit makes them private to root) for traversal.
        Files.createDirectories(dir);
        for (Path p = dir; p != null && p.startsWith(dir.getRoot().resolve("tmp")) && !p.equals(dir.getRoot().resolve("tmp")); p = p.getParent()) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("mail"));
        run("chown", "postfix", dir.resolve("data").toString());
        run("chown", "nobody:nogroup", dir.resolve("mail").toString());
        // The same master.cf as scripts/submission-bench.sh's (tests run in the module's directory).
        Files.writeString(dir.resolve("etc/master.cf"), Files.readString(Path.of("..", "scripts", "lib", "postfix-master.cf.in"))
                .replace("@LISTEN@", address + ":" + port));
        String tlsLines = tls.map(l -> """
                smtpd_tls_security_level = may
                smtpd_tls_chain_files = %s, %s
                smtpd_tls_received_header = yes
                smtpd_tls_loglevel = 1
                """.formatted(l.keyFile(), l.certFile())).orElse("smtpd_tls_security_level = none\n");
        Files.writeString(dir.resolve("etc/main.cf"), """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                myhostname = %2$s
                mydomain = %3$s
                myorigin = %3$s
                inet_interfaces = loopback-only
                inet_protocols = ipv4
                mydestination =
                mynetworks = 127.0.0.0/8
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                virtual_mailbox_domains = %3$s
                virtual_mailbox_base = %1$s/mail
                virtual_mailbox_maps = static:box/
                virtual_uid_maps = static:65534
                virtual_gid_maps = static:65534
                smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
                smtpd_recipient_restrictions = check_recipient_access texthash:%1$s/etc/access
                smtpd_banner = $myhostname ESMTP
                message_size_limit = 52428800
                virtual_mailbox_limit = 0
                alias_maps =
                alias_database =
                local_recipient_maps =
                biff = no
                disable_dns_lookups = yes
                smtp_dns_support_level = disabled
                %4$s
                %5$s
                """.formatted(dir, hostname, domain, tlsLines, extraMainCf));
        var pf = new TestPostfix(dir, a, port);
        pf.writeAccess(access);
        run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "start");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Socket s = new Socket(a, port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    pf.close();
                    throw new IllegalStateException("postfix did not start: " + pf.log());
                }
                Thread.sleep(100);
            }
        }
        return pf;
    }

    /** Replaces the access map and has Postfix read it again. */
    void setAccess(Map<String, String> access) throws Exception {
        writeAccess(access);
        run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "reload");
    }

    private void writeAccess(Map<String, String> access) throws IOException {
        StringBuilder b = new StringBuilder();
        access.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        Files.writeString(dir.resolve("etc/access"), b.toString());
    }

    /** Every message delivered so far, as Postfix's virtual agent wrote it. */
    List<byte[]> delivered() throws IOException {
        Path box = dir.resolve("mail/box/new");
        if (!Files.isDirectory(box)) return List.of();
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(box)) {
            for (Path p : files.sorted().toList()) out.add(Files.readAllBytes(p));
        }
        return out;
    }

    /** Postfix's own log (connections, TLS, rejections). */
    String log() throws IOException {
        Path log = dir.resolve("maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() {
        try {
            run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "stop");
            // postfix stop signals the master; wait for it to have gone before the directory is removed
            Path pid = dir.resolve("queue/pid/master.pid");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(pid) && System.nanoTime() < deadline) {
                String p = Files.readString(pid).strip();
                if (!Files.exists(Path.of("/proc", p))) break;
                Thread.sleep(50);
            }
        } catch (Exception e) {
            // the test directory goes away with it
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
    }
}
