package dev.postvault.server;

import dev.postvault.smtp.client.DaneVerifier;
import dev.postvault.smtp.client.MtaStsFetcher;
import dev.postvault.smtp.client.MtaStsPolicy;
import dev.postvault.smtp.client.MxResolver;
import dev.postvault.smtp.client.SmtpClient;
import dev.postvault.store.control.ControlPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one domain's recipients of a message: which of the domain's MX hosts may be tried and
 * how their TLS must be (DANE, RFC 7672; MTA-STS, RFC 8461; REQUIRETLS and TLS-Required, RFC 8689;
 * otherwise opportunistic, RFC 7435), then the transaction on a kept or new connection. The queue,
 * retries and reports are {@link OutboundDelivery}'s.
 */
final class DomainSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainSender.class);

    private final MxResolver resolver;
    private final OutboundSettings settings;
    private final String hostname;
    private final Clock clock;
    private final SSLContext opportunistic = opportunisticTls();
    private final SSLContext verifying;
    private final MtaStsPolicies policies;
    private final OutboundConnections connections = new OutboundConnections();

    DomainSender(MxResolver resolver, OutboundSettings settings, ControlPlane control, String hostname, Clock clock) {
        this.resolver = resolver;
        this.settings = settings;
        this.hostname = hostname;
        this.clock = clock;
        try {
            this.verifying = dev.postvault.net.Tls.clientVerifying(settings.trustedRoots());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the trusted roots cannot be used", e);
        }
        this.policies = new MtaStsPolicies(new MtaStsFetcher(resolver, verifying, settings.policyPort(), settings.timeout()), control, clock);
    }

    /** Closes the connections idle for too long. */
    void closeIdle(Instant now) {
        connections.closeIdle(now);
    }

    @Override
    public void close() {
        connections.closeAll();
    }

    /**
     * How DANE (RFC 7672) applies to a domain's hosts: those with usable TLSA records found securely,
     * the others that may still be tried without DANE, or a verdict when nothing may be tried.
     */
    private record Dane(List<Map.Entry<MxResolver.Host, List<DaneVerifier.Tlsa>>> hosts, List<MxResolver.Host> others, Attempt verdict) {}

    private Dane dane(String domain, List<MxResolver.Host> hosts) {
        switch (resolver.mxSecurely(domain)) {
            case MxResolver.Secured.Failed<String> f -> {
                // §2.2.1: an MX RRset the validating resolver calls bogus is not used at all.
                return new Dane(List.of(), List.of(), new Attempt(Map.of(), "451 4.7.5 DANE: the domain's MX records did not validate"));
            }
            case MxResolver.Secured.Insecure<String> i -> {
                return new Dane(List.of(), hosts, null); // not signed: DANE does not apply
            }
            case MxResolver.Secured.Secure<String> s -> {
                List<Map.Entry<MxResolver.Host, List<DaneVerifier.Tlsa>>> dane = new ArrayList<>();
                List<MxResolver.Host> others = new ArrayList<>();
                for (MxResolver.Host h : hosts) {
                    switch (resolver.tlsa(h.name(), settings.port())) {
                        case MxResolver.Secured.Secure<DaneVerifier.Tlsa> t when t.records().stream().anyMatch(DaneVerifier.Tlsa::usable) ->
                                dane.add(Map.entry(h, t.records().stream().filter(DaneVerifier.Tlsa::usable).toList()));
                        case MxResolver.Secured.Failed<DaneVerifier.Tlsa> t -> LOG.info("outbound: DANE: a host's TLSA lookup failed; it is skipped");
                        default -> others.add(h); // securely without usable TLSA records, or not signed: no DANE for it
                    }
                }
                return new Dane(dane, others, null);
            }
        }
    }

    /**
     * Delivery to hosts with TLSA records (RFC 7672 §2.2.2): STARTTLS required, the certificate
     * authenticated by the records, not by a CA; null when none of them took the transaction.
     */
    private Attempt sendByDane(String domain, List<Map.Entry<MxResolver.Host, List<DaneVerifier.Tlsa>>> hosts, String reversePath,
                               List<String> recipients, byte[] message, SmtpClient.Dsn dsn, boolean requireTls) {
        boolean refusedRequireTls = false;
        for (var e : hosts) {
            MxResolver.Host h = e.getKey();
            SSLContext context = DaneVerifier.context(e.getValue(), h.name(), domain);
            for (InetAddress a : h.addresses()) {
                try {
                    return Attempt.of(transaction(new InetSocketAddress(a, settings.port()), h.name(), OutboundConnections.Kind.DANE, context, true,
                            reversePath, recipients, message, dsn, requireTls), "451 4.7.5 DANE");
                } catch (SmtpClient.RequireTlsRefused x) {
                    refusedRequireTls = true;
                } catch (IOException x) {
                    LOG.info("outbound: DANE: a host was not authenticated or did not take the message ({})", x.getClass().getSimpleName());
                }
            }
        }
        if (refusedRequireTls) return Attempt.failed(recipients, "5.7.30 REQUIRETLS support required: the domain's mail servers do not offer it");
        return null;
    }

    /** Whether the message's header has "TLS-Required: No" (RFC 8689 §5), the field name and value in any case. */
    static boolean tlsNotRequired(byte[] message) {
        String header = new String(message, 0, SubmissionDelivery.headerEnd(message), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String line : header.split("\r\n(?![ \t])")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")
                    && line.substring(colon + 1).replaceAll("[\r\n\t ]+", "").equalsIgnoreCase("No")) {
                return true;
            }
        }
        return false;
    }

    /** What one attempt at a domain came to: the replies per recipient, or why there were none. */
    record Attempt(Map<String, SmtpClient.Reply> replies, String failure, boolean dsnPassedOn) {
        Attempt(Map<String, SmtpClient.Reply> replies, String failure) {
            this(replies, failure, false);
        }

        static Attempt of(SmtpClient.Result r, String failure) {
            return new Attempt(r.recipients(), failure, r.dsnPassedOn());
        }

        /** A permanent failure (550, with {@code text}) of every recipient: a domain that cannot take the mail. */
        static Attempt failed(List<String> recipients, String text) {
            Map<String, SmtpClient.Reply> out = new LinkedHashMap<>();
            for (String r : recipients) out.put(r, new SmtpClient.Reply(550, List.of(text)));
            return new Attempt(out, text);
        }
    }

    /**
     * Tries the hosts in order (each address of each); the first connection that takes the
     * transaction answers. Under an MTA-STS policy (RFC 8461 §5) only the hosts it names are tried;
     * in enforce mode only over TLS with a certificate that verifies for the host's name, in testing
     * mode a failure to verify is logged and delivery goes on as without a policy.
     */
    Attempt send(String domain, List<MxResolver.Host> hosts, String reversePath, List<String> recipients, byte[] message,
                 SmtpClient.Dsn dsn, boolean requireTls) {
        // RFC 8689 §5: "TLS-Required: No" asks that the recipient domain's TLS policy (MTA-STS, DANE)
        // not stop delivery: neither is looked up, and delivery goes on as for a domain without one
        // (STARTTLS whenever offered). REQUIRETLS, if given, wins (§5).
        boolean policiesApply = requireTls || !tlsNotRequired(message);
        if (!policiesApply) LOG.info("outbound: TLS-Required: No; the domain's TLS policies are not applied");
        if (settings.dane() && policiesApply) {
            Dane dane = dane(domain, hosts);
            if (dane.verdict() != null) return dane.verdict();
            if (!dane.hosts().isEmpty()) {
                Attempt a = sendByDane(domain, dane.hosts(), reversePath, recipients, message, dsn, requireTls);
                if (a != null) return a;
            }
            hosts = dane.others();
            if (hosts.isEmpty()) return new Attempt(Map.of(), "451 4.7.5 DANE: no MX host of the domain could be authenticated by its TLSA records");
        }
        Optional<MtaStsPolicy> policy = policiesApply ? policies.policyFor(domain) : Optional.empty();
        // RFC 8689 §4.2.1: a REQUIRETLS message goes only to MX hosts that DNSSEC or an MTA-STS policy
        // vouches for (DNSSEC is not checked here), over TLS verified for the host's name, to a server
        // that offers REQUIRETLS; otherwise it comes back to its sender.
        if (requireTls && policy.isEmpty()) {
            return Attempt.failed(recipients, "5.7.30 REQUIRETLS: the domain publishes no MTA-STS policy to verify its mail servers by");
        }
        boolean enforce = requireTls || (policy.isPresent() && policy.get().mode() == MtaStsPolicy.Mode.ENFORCE);
        List<MxResolver.Host> candidates = hosts;
        if (policy.isPresent()) {
            candidates = hosts.stream().filter(h -> policy.get().allows(h.name())).toList(); // §4.1
            if (candidates.isEmpty() && requireTls) {
                return Attempt.failed(recipients, "5.7.30 REQUIRETLS: none of the domain's MX hosts is named by its MTA-STS policy");
            }
            if (candidates.isEmpty() && enforce) {
                return new Attempt(Map.of(), "451 4.7.5 MTA-STS: none of the domain's MX hosts is named by its policy");
            }
            if (candidates.isEmpty()) {
                LOG.info("outbound: MTA-STS testing policy names none of the MX hosts; delivering as without one");
                candidates = hosts;
            }
        }
        String failure = "451 4.4.1 No answer from the domain's mail servers";
        boolean refusedRequireTls = false;
        for (MxResolver.Host h : candidates) {
            for (InetAddress a : h.addresses()) {
                OutboundConnections.Kind kind = policy.isPresent() ? OutboundConnections.Kind.VERIFIED : OutboundConnections.Kind.OPPORTUNISTIC;
                try {
                    return Attempt.of(transaction(new InetSocketAddress(a, settings.port()), h.name(), kind, enforce,
                            reversePath, recipients, message, dsn, requireTls), failure);
                } catch (javax.net.ssl.SSLException e) {
                    if (policy.isEmpty()) {
                        LOG.info("outbound: TLS with a host of the domain failed ({})", e.getClass().getSimpleName());
                        continue;
                    }
                    if (enforce) {
                        LOG.info("outbound: MTA-STS enforce: a host's certificate did not verify ({})", e.getClass().getSimpleName());
                        failure = "451 4.7.5 MTA-STS: no MX host of the domain offered TLS with a valid certificate";
                        continue;
                    }
                    LOG.info("outbound: MTA-STS testing: a host's certificate did not verify; delivering with opportunistic TLS");
                    try {
                        return Attempt.of(transaction(new InetSocketAddress(a, settings.port()), h.name(), OutboundConnections.Kind.OPPORTUNISTIC,
                                false, reversePath, recipients, message, dsn, false), failure);
                    } catch (IOException again) {
                        LOG.info("outbound: a host of the domain did not take the message ({})", again.getClass().getSimpleName());
                    }
                } catch (SmtpClient.RequireTlsRefused e) {
                    refusedRequireTls = true;
                    LOG.info("outbound: a host of the domain does not offer REQUIRETLS");
                } catch (SmtpClient.SmtpClientException e) {
                    if (enforce && e.getMessage().startsWith("TLS required")) {
                        failure = "451 4.7.5 MTA-STS: no MX host of the domain offered TLS with a valid certificate";
                    }
                    LOG.info("outbound: a host of the domain did not take the message ({})", e.getMessage());
                } catch (IOException e) {
                    LOG.info("outbound: a host of the domain did not take the message ({})", e.getClass().getSimpleName());
                }
            }
        }
        if (refusedRequireTls) return Attempt.failed(recipients, "5.7.30 REQUIRETLS support required: the domain's mail servers do not offer it");
        return new Attempt(Map.of(), failure);
    }

    /**
     * One transaction on a connection to {@code address}: an idle one kept from an earlier message
     * when there is one (RFC 5321 §3.3 lets a client send several on one connection), else a new one;
     * the connection is kept for the next message afterwards. A kept connection the server has closed
     * meanwhile is replaced once.
     */
    private SmtpClient.Result transaction(InetSocketAddress address, String host, OutboundConnections.Kind kind, boolean tlsRequired,
                                          String reversePath, List<String> recipients, byte[] message, SmtpClient.Dsn dsn,
                                          boolean requireTlsMessage) throws IOException {
        return transaction(address, host, kind, kind == OutboundConnections.Kind.VERIFIED ? verifying : opportunistic, tlsRequired,
                reversePath, recipients, message, dsn, requireTlsMessage);
    }

    private SmtpClient.Result transaction(InetSocketAddress address, String host, OutboundConnections.Kind kind, SSLContext context,
                                          boolean tlsRequired, String reversePath, List<String> recipients, byte[] message,
                                          SmtpClient.Dsn dsn, boolean requireTlsMessage) throws IOException {
        OutboundConnections.Key key = new OutboundConnections.Key(address, host, kind);
        SmtpClient kept = connections.take(key);
        if (kept != null) {
            try {
                SmtpClient.Result r = kept.send(reversePath, recipients, message, true, false, dsn, requireTlsMessage);
                connections.give(key, kept, clock.instant());
                return r;
            } catch (SmtpClient.RequireTlsRefused e) {
                connections.give(key, kept, clock.instant()); // nothing was sent; the connection is still good
                throw e;
            } catch (IOException e) {
                kept.close(); // it went stale while idle; a fresh connection below
            }
        }
        SmtpClient c = SmtpClient.connect(address, host, hostname, settings.timeout(), Optional.of(context), tlsRequired);
        try {
            SmtpClient.Result r = c.send(reversePath, recipients, message, true, false, dsn, requireTlsMessage);
            connections.give(key, c, clock.instant());
            return r;
        } catch (SmtpClient.RequireTlsRefused e) {
            connections.give(key, c, clock.instant());
            throw e;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Opportunistic TLS (RFC 7435, as RFC 3207 MTAs practise it): encrypt whenever the server offers
     * STARTTLS, without requiring a certificate that verifies, since without MTA-STS or DANE nothing says
     * which certificate is right and refusing would only push the mail to plain text.
     */
    private static SSLContext opportunisticTls() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new X509ExtendedTrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
                @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
                @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
                @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
                @Override public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
