package dev.postvault.server;

import dev.postvault.imap.ImapConfig;
import dev.postvault.imap.ImapServer;
import dev.postvault.imap.session.ImapContext;
import dev.postvault.net.TcpListener;
import dev.postvault.pop3.Pop3Config;
import dev.postvault.pop3.Pop3Server;
import dev.postvault.pop3.session.MaildropLocks;
import dev.postvault.pop3.session.Pop3Context;
import dev.postvault.server.tls.SelfSignedTls;
import dev.postvault.smtp.SmtpServer;
import dev.postvault.smtp.SmtpServerConfig;
import dev.postvault.smtp.session.Role;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All roles in one process: the node over the data directory and every built listener. */
public final class PostvaultServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostvaultServer.class);

    /** Listener ports; 0 disables one, {@link #ANY} picks a free port (for tests). */
    public record Ports(int imap, int imaps, int pop3, int pop3s, int smtp, int submission, int submissions, int http) {
        public static final int ANY = -1;
        public static final Ports STANDARD = new Ports(143, 993, 110, 995, 25, 587, 465, 8080);
        public static final Ports ANY_FREE = new Ports(ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY);
    }

    private static int bindPort(int configured) {
        return configured == Ports.ANY ? 0 : configured;
    }

    /**
     * Connections one listener serves at once, per protocol; the next one gets the protocol's busy
     * answer and is closed.
     */
    public record MaxConnections(int imap, int pop3, int smtp) {
        public static final MaxConnections DEFAULT = new MaxConnections(1000, 1000, 500);

        public MaxConnections {
            if (imap < 1 || pop3 < 1 || smtp < 1) throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    /**
     * @param submission what submission allows a login
     * @param outbound delivery to other servers
     */
    public record Config(Path dataDir, InetAddress bind, String hostname, Ports ports, boolean plaintextAuthOnLoopback,
                         Node.Settings settings, BackupSettings backups, MaxConnections maxConnections, SubmissionSettings submission,
                         OutboundSettings outbound) {
        public Config(Path dataDir, InetAddress bind, String hostname, Ports ports, boolean plaintextAuthOnLoopback, Node.Settings settings) {
            this(dataDir, bind, hostname, ports, plaintextAuthOnLoopback, settings, BackupSettings.DEFAULT, MaxConnections.DEFAULT);
        }

        public Config(Path dataDir, InetAddress bind, String hostname, Ports ports, boolean plaintextAuthOnLoopback,
                      Node.Settings settings, BackupSettings backups, MaxConnections maxConnections) {
            this(dataDir, bind, hostname, ports, plaintextAuthOnLoopback, settings, backups, maxConnections, SubmissionSettings.DEFAULT,
                    OutboundSettings.defaults());
        }
    }

    /** A listener that runs, for tests and the start-up banner. */
    public record Listener(String name, int port) {}

    private final Node node;
    private final SSLContext tls;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private ServerLock lock;
    private final List<Listener> listeners = new ArrayList<>();

    private PostvaultServer(Node node, SSLContext tls) {
        this.node = node;
        this.tls = tls;
    }

    /**
     * Starts the node and every configured listener. Refused when another server (or a restore without
     * a server) holds the data directory's {@link ServerLock}.
     */
    public static PostvaultServer start(Config c) {
        Node node = Node.open(c.dataDir(), c.settings());
        ServerLock lock = ServerLock.tryAcquire(c.dataDir()).orElse(null);
        if (lock == null) {
            node.close();
            throw new java.io.UncheckedIOException(new java.io.IOException(
                    "another postvault server (or a restore) is using data directory " + c.dataDir().toAbsolutePath()));
        }
        PostvaultServer s = null;
        try {
            SSLContext tls = SelfSignedTls.loadOrCreate(c.dataDir(), node.serverKey(), c.hostname());
            s = new PostvaultServer(node, tls);
            s.lock = lock;
            int recovered = node.mailboxes().recoverReplacements(); // a restore killed mid-swap
            if (recovered > 0) LOG.info("finished {} interrupted mailbox restores", recovered);
            int swept = node.accounts().sweepOrphans(java.time.Duration.ofHours(1));
            if (swept > 0) LOG.info("removed {} mailbox files that no alias refers to", swept);
            s.servers.add(new MailboxHolds(c.dataDir(), node.mailboxes()));
            s.startBackups(c.backups());
            s.startListeners(c);
            return s;
        } catch (RuntimeException e) {
            if (s != null) s.close();
            else {
                lock.close();
                node.close();
            }
            throw e;
        }
    }

    private void startBackups(BackupSettings b) {
        if (b.interval().isZero()) {
            LOG.info("scheduled backups are off");
            return;
        }
        var target = b.openTarget(node.dataDir());
        if (target instanceof AutoCloseable closeable) servers.add(closeable);
        servers.add(new BackupScheduler(node, b.service(node, target), b.interval(), b.firstRunDelay()));
        LOG.info("mailboxes are backed up every {} to {}", b.interval(), target.describe());
    }

    private void startListeners(Config c) {
        ImapConfig imapConfig = ImapConfig.defaults(c.hostname()).withPlaintextAuthOnLoopback(c.plaintextAuthOnLoopback())
                .withMaxConnections(c.maxConnections().imap());
        var imapCtx = new ImapContext(node.logins(), imapConfig, Optional.of(tls));
        if (c.ports().imap() != 0) start(ImapServer.listener(imapCtx, c.bind(), bindPort(c.ports().imap()), false), "imap");
        if (c.ports().imaps() != 0) start(ImapServer.listener(imapCtx, c.bind(), bindPort(c.ports().imaps()), true), "imaps");
        var pop3Ctx = new Pop3Context(node.logins(), new MaildropLocks(),
                Pop3Config.defaults(c.hostname()).withPlaintextAuthOnLoopback(c.plaintextAuthOnLoopback())
                        .withMaxConnections(c.maxConnections().pop3()), Optional.of(tls));
        if (c.ports().pop3() != 0) start(Pop3Server.listener(pop3Ctx, c.bind(), bindPort(c.ports().pop3()), false), "pop3");
        if (c.ports().pop3s() != 0) start(Pop3Server.listener(pop3Ctx, c.bind(), bindPort(c.ports().pop3s()), true), "pop3s");
        if (c.ports().smtp() != 0) {
            startSmtp(new SmtpServer(SmtpServerConfig.plain(c.bind(), bindPort(c.ports().smtp()), c.hostname()).withStartTls(tls)
                    .withMaxConnections(c.maxConnections().smtp()), new MxDelivery(node.control(), node.spool())), "smtp");
        }
        // RFC 6409 and RFC 8314: submission with STARTTLS (587) and over TLS from the first byte (465).
        SubmissionSettings sub = c.submission();
        var delivery = new OutboundDelivery(node.outbound(), c.outbound(), node.control(), node.spool(), c.hostname(), java.time.Clock.systemUTC());
        delivery.start();
        servers.add(delivery);
        var submission = new Role.Submission(new SubmissionDelivery(node.control(), node.logins(), node.spool(),
                new SendingRate(sub.messagesPerHour(), java.time.Clock.systemUTC()), node.dkim(), node.outbound(), delivery::queued, c.hostname()),
                c.plaintextAuthOnLoopback(), sub.clientAddressInReceived());
        var submissionLimits = dev.postvault.smtp.session.SmtpLimits.defaults().withMaxRecipients(sub.maxRecipients());
        if (c.ports().submission() != 0) {
            startSmtp(new SmtpServer(SmtpServerConfig.plain(c.bind(), bindPort(c.ports().submission()), c.hostname()).withStartTls(tls)
                    .withMaxConnections(c.maxConnections().smtp()).withLimits(submissionLimits), submission), "submission");
        }
        if (c.ports().submissions() != 0) {
            startSmtp(new SmtpServer(SmtpServerConfig.plain(c.bind(), bindPort(c.ports().submissions()), c.hostname()).withImplicitTls(tls)
                    .withMaxConnections(c.maxConnections().smtp()).withLimits(submissionLimits), submission), "submissions");
        }
        LOG.info("http listener is not built yet; not started");
    }

    private void startSmtp(SmtpServer server, String name) {
        server.start();
        servers.add(server);
        listeners.add(new Listener(name, server.port()));
    }

    private void start(TcpListener l, String name) {
        l.start();
        servers.add(l);
        listeners.add(new Listener(name, l.port()));
    }

    public Node node() {
        return node;
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    public int port(String name) {
        return listeners.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + name + " listener")).port();
    }

    @Override
    public void close() {
        for (AutoCloseable s : servers.reversed()) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing a listener failed: {}", e.getMessage());
            }
        }
        node.close();
        if (lock != null) lock.close(); // last: only now may a restore or another server take the directory
    }
}
