package dev.postvault.server.cli;

import dev.postvault.server.Node;
import dev.postvault.server.PostvaultServer;
import dev.postvault.server.OutboundSettings;
import dev.postvault.server.SubmissionSettings;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run every role in one process until stopped (SIGTERM or Ctrl-C).",
            "A port of 0 disables that listener. Listeners whose protocol is not built yet are not started."})
final class ServeCommand implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Spec CommandSpec spec;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 for all interfaces).")
    String bind;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "localhost",
            description = "This server's host name, used in greetings and its TLS certificate (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--imap-port", defaultValue = "143", description = "IMAP with STARTTLS (default: ${DEFAULT-VALUE}).") int imap;
    @Option(names = "--imaps-port", defaultValue = "993", description = "IMAP over TLS (default: ${DEFAULT-VALUE}).") int imaps;
    @Option(names = "--pop3-port", defaultValue = "110", description = "POP3 with STLS (default: ${DEFAULT-VALUE}).") int pop3;
    @Option(names = "--pop3s-port", defaultValue = "995", description = "POP3 over TLS (default: ${DEFAULT-VALUE}).") int pop3s;
    @Option(names = "--smtp-port", defaultValue = "25", description = "Inbound MX SMTP (default: ${DEFAULT-VALUE}).") int smtp;
    @Option(names = "--submission-port", defaultValue = "587", description = "Submission with STARTTLS, RFC 6409 (default: ${DEFAULT-VALUE}).") int submission;
    @Option(names = "--submissions-port", defaultValue = "465", description = "Submission over TLS, RFC 8314 (default: ${DEFAULT-VALUE}).") int submissions;
    @Option(names = "--submission-client-address", defaultValue = "false",
            description = "Write the client's IP address and EHLO name into submission's Received header (default: ${DEFAULT-VALUE}: recipients do not learn where the sender was).")
    boolean submissionClientAddress;
    @Option(names = "--submission-max-recipients", paramLabel = "N", defaultValue = "100",
            description = "Recipients of one submitted message; the next gets 452 4.5.3 (default: ${DEFAULT-VALUE}).")
    int submissionMaxRecipients;
    @Option(names = "--submission-messages-per-hour", paramLabel = "N", defaultValue = "200",
            description = "Messages one alias may submit in any hour; the next gets 450 4.7.1 (default: ${DEFAULT-VALUE}).")
    int submissionMessagesPerHour;
    @Option(names = "--outbound-resolver", paramLabel = "HOST[:PORT]|URL",
            description = "The DNS server outbound delivery asks for MX records (default: the first nameserver in /etc/resolv.conf); "
                    + "an https:// URL asks DNS over HTTPS (RFC 8484), e.g. https://dns.example/dns-query.")
    String outboundResolver;
    @Option(names = "--outbound-port", paramLabel = "PORT", defaultValue = "25",
            description = "The port other mail servers are reached on (default: ${DEFAULT-VALUE}).")
    int outboundPort;
    @Option(names = "--outbound-max-age", paramLabel = "DURATION", defaultValue = "5d",
            description = "How long outbound mail is retried before it bounces to its sender, e.g. 5d or 12h (default: ${DEFAULT-VALUE}).")
    String outboundMaxAge;
    @Option(names = "--outbound-delay-notice", paramLabel = "DURATION", defaultValue = "4h",
            description = "After this long undelivered, the sender is told once that delivery is delayed (default: ${DEFAULT-VALUE}).")
    String outboundDelayNotice;
    @Option(names = "--outbound-trusted-roots", paramLabel = "FILE",
            description = "PEM certificates of authorities trusted besides the JDK's where a certificate must verify "
                    + "(MTA-STS policy hosts, MX hosts under an enforced policy), e.g. a private CA.")
    java.nio.file.Path outboundTrustedRoots;
    @Option(names = "--outbound-dane", defaultValue = "false",
            description = "The outbound resolver validates DNSSEC (e.g. a local unbound): trust its AD bit and authenticate "
                    + "MX hosts by their TLSA records (DANE, RFC 7672). Off by default.")
    boolean outboundDane;
    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP (default: ${DEFAULT-VALUE}; not built yet).") int http;

    @Option(names = "--plaintext-auth-on-loopback", defaultValue = "false",
            description = "Allow passwords without TLS from 127.0.0.1/::1 (default: ${DEFAULT-VALUE}).")
    boolean plaintextAuthOnLoopback;

    @Option(names = "--imap-max-connections", paramLabel = "N", defaultValue = "1000",
            description = "Connections each IMAP listener serves at once; the next gets BYE (default: ${DEFAULT-VALUE}).")
    int imapMaxConnections;

    @Option(names = "--pop3-max-connections", paramLabel = "N", defaultValue = "1000",
            description = "Connections each POP3 listener serves at once; the next gets -ERR (default: ${DEFAULT-VALUE}).")
    int pop3MaxConnections;

    @Option(names = "--smtp-max-connections", paramLabel = "N", defaultValue = "500",
            description = "Connections the MX serves at once; the next gets 421 (default: ${DEFAULT-VALUE}).")
    int smtpMaxConnections;

    @Option(names = "--disk-reserve", paramLabel = "SIZE", defaultValue = "auto",
            description = {"Free space new mail must leave on the data directory's file system, e.g. 512m or 2g; "
                    + "logins, flags and deletions may still use it (default: ${DEFAULT-VALUE}: 5%% of the file system, at most 64m)."})
    String diskReserve;

    @Option(names = "--mailbox-page-cache", paramLabel = "SIZE", defaultValue = "64m",
            description = {"Decrypted pages each connection to an open mailbox may keep in memory, e.g. 16m; "
                    + "an open mailbox has up to three connections (default: ${DEFAULT-VALUE})."})
    String mailboxPageCache;

    @Option(names = "--mailbox-key-cache", paramLabel = "N", defaultValue = "250000",
            description = {"Messages whose header keys (search text of a field, sort keys, thread keys) an open mailbox keeps "
                    + "in memory, per kind of key; a folder with more is read from the file each time (default: ${DEFAULT-VALUE})."})
    int mailboxKeyCache;

    @Option(names = "--mailbox-linger", paramLabel = "DURATION", defaultValue = "10s",
            description = {"How long a mailbox stays open after its last session ended, so a client that reconnects finds it "
                    + "open; its key stays in memory that long. 0 closes it at once (default: ${DEFAULT-VALUE})."})
    String mailboxLinger;

    @Option(names = "--mailbox-linger-max", paramLabel = "N", defaultValue = "256",
            description = "Mailboxes kept open with no session at most; beyond it the longest idle closes (default: ${DEFAULT-VALUE}).")
    int mailboxLingerMax;

    @Mixin BackupOptions backup;

    @Option(names = "--backup-interval", paramLabel = "DURATION", defaultValue = "24h",
            description = "Back up every mailbox this often, e.g. 12h or 1d; 0 turns it off (default: ${DEFAULT-VALUE}).")
    String backupInterval;

    /** "auto", or a byte count with an optional k, m or g suffix (powers of 1024). */
    static long bytes(String size) {
        String s = size.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) return dev.postvault.store.DiskSpace.AUTO;
        long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Main.CliException(ExitCodes.USAGE, "not a size: " + size + " (use e.g. 512m, 2g or auto)");
        }
    }

    @Override
    public Integer call() throws Exception {
        var ports = new PostvaultServer.Ports(imap, imaps, pop3, pop3s, smtp, submission, submissions, http);
        for (int p : new int[] {imap, imaps, pop3, pop3s, smtp, submission, submissions, http}) {
            if (p < 0 || p > 65535) throw new Main.CliException(ExitCodes.USAGE, "port out of range: " + p);
        }
        PostvaultServer.MaxConnections maxConnections;
        try {
            maxConnections = new PostvaultServer.MaxConnections(imapMaxConnections, pop3MaxConnections, smtpMaxConnections);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(ExitCodes.USAGE, e.getMessage());
        }
        if (mailboxKeyCache < 0) throw new Main.CliException(ExitCodes.USAGE, "--mailbox-key-cache must not be negative: " + mailboxKeyCache);
        if (mailboxLingerMax < 0) throw new Main.CliException(ExitCodes.USAGE, "--mailbox-linger-max must not be negative: " + mailboxLingerMax);
        long pageCache = bytes(mailboxPageCache);
        if (pageCache == dev.postvault.store.DiskSpace.AUTO || pageCache < 64 * 1024 || pageCache > (1L << 40)) {
            throw new Main.CliException(ExitCodes.USAGE, "--mailbox-page-cache must be between 64k and 1024g: " + mailboxPageCache);
        }
        var settings = Node.Settings.DEFAULT.withDiskReserveBytes(bytes(diskReserve))
                .withMailboxLimits(Node.Settings.DEFAULT.mailboxLimits().withPageCacheKib((int) (pageCache / 1024))
                        .withKeyCacheEntries(mailboxKeyCache).withLinger(BackupOptions.duration(mailboxLinger), mailboxLingerMax));
        SubmissionSettings submission;
        try {
            submission = new SubmissionSettings(submissionClientAddress, submissionMaxRecipients, submissionMessagesPerHour);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(ExitCodes.USAGE, e.getMessage());
        }
        OutboundSettings outbound;
        try {
            var d = OutboundSettings.defaults();
            java.net.InetSocketAddress resolver = d.resolver();
            java.util.Optional<java.net.URI> doh = java.util.Optional.empty();
            if (outboundResolver != null && outboundResolver.regionMatches(true, 0, "https://", 0, 8)) {
                doh = java.util.Optional.of(java.net.URI.create(outboundResolver));
            } else if (outboundResolver != null && outboundResolver.contains("://")) {
                throw new IllegalArgumentException("--outbound-resolver: DNS over HTTPS needs an https:// URL: " + outboundResolver);
            } else if (outboundResolver != null) {
                int colon = outboundResolver.lastIndexOf(':');
                boolean hasPort = colon > 0 && outboundResolver.indexOf(':') == colon; // host:port, not a bare IPv6 address
                resolver = new java.net.InetSocketAddress(hasPort ? outboundResolver.substring(0, colon) : outboundResolver,
                        hasPort ? Integer.parseInt(outboundResolver.substring(colon + 1)) : 53);
            }
            outbound = new OutboundSettings(resolver, outboundPort, BackupOptions.duration(outboundMaxAge), d.perDomain(), d.timeout(),
                    BackupOptions.duration(outboundDelayNotice));
            if (outboundTrustedRoots != null) outbound = outbound.withTrustedRoots(trustedRoots(outboundTrustedRoots));
            if (doh.isPresent()) outbound = outbound.withDnsOverHttps(doh.get());
            if (outboundDane) outbound = outbound.withDane(true);
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(ExitCodes.USAGE, e.getMessage());
        }
        var config = new PostvaultServer.Config(data.dataDir, InetAddress.getByName(bind), hostname, ports,
                plaintextAuthOnLoopback, settings,
                backup.settings(BackupOptions.duration(backupInterval), java.time.Duration.ofMinutes(10)), maxConnections,
                submission, outbound);
        PostvaultServer server;
        try {
            server = PostvaultServer.start(config);
        } catch (java.io.UncheckedIOException e) {
            throw new Main.CliException(ExitCodes.ERROR, e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("Permission denied") ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        var out = spec.commandLine().getOut();
        out.println("postvault serving data directory " + data.dataDir.toAbsolutePath());
        for (var l : server.listeners()) out.println("  " + l.name() + " on " + bind + ":" + l.port());
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The certificates in a PEM file; a usage error when it has none or cannot be read. */
    private static java.util.List<java.security.cert.X509Certificate> trustedRoots(java.nio.file.Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            var certs = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (java.security.cert.X509Certificate) c).toList();
            if (certs.isEmpty()) throw new IllegalArgumentException("--outbound-trusted-roots: no certificate in " + file);
            return certs;
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("--outbound-trusted-roots: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
