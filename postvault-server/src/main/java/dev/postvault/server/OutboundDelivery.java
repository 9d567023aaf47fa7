package dev.postvault.server;

import dev.postvault.smtp.client.MxResolver;
import dev.postvault.smtp.client.SmtpClient;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.control.ControlPlane;
import dev.postvault.store.outbound.OutboundQueue;
import dev.postvault.store.outbound.OutboundQueue.Recipient;
import dev.postvault.store.outbound.OutboundQueue.Status;
import dev.postvault.store.spool.Spool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbound queue (RFC 5321 §4.5.4): each message's pending recipients, grouped by
 * domain, to the domain's MX hosts in order; 2xx delivered, 5xx failed, 4xx or no connection retried
 * after 1, 2, 4 ... minutes (at most an hour apart) until {@link OutboundSettings#maxAge}. When every
 * recipient is done, the ones that failed are reported to the sender's own mailbox (RFC 3464) and the
 * message leaves the queue. Logs queue ids and counts, never addresses.
 */
final class OutboundDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundDelivery.class);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);

    private final OutboundQueue queue;
    private final MxResolver resolver;
    private final OutboundSettings settings;
    private final ControlPlane control;
    private final Spool spool;
    private final String hostname;
    private final Clock clock;
    private final SSLContext opportunistic = opportunisticTls();
    private final Map<String, Semaphore> perDomain = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * When each message attempted before has something to do next (a retry or its delay notice), and
     * its state's change time then: the scan reads and decrypts a message file only when that time has
     * come or the state was changed by someone else ({@code queue retry}), not every message every second.
     */
    private final Map<String, Wake> idle = new ConcurrentHashMap<>();

    private record Wake(Instant at, long changedAt) {}
    private final Object signal = new Object();
    private volatile boolean closed;
    private Thread loop;

    OutboundDelivery(OutboundQueue queue, OutboundSettings settings, ControlPlane control, Spool spool, String hostname, Clock clock) {
        this.queue = queue;
        this.settings = settings;
        this.resolver = new MxResolver(settings.resolver(), settings.timeout());
        this.control = control;
        this.spool = spool;
        this.hostname = hostname;
        this.clock = clock;
    }

    void start() {
        loop = Thread.ofVirtual().name("outbound").start(this::run);
    }

    /** Something was queued: look at the queue now rather than at the next tick. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                Instant now = clock.instant();
                List<String> ids = queue.ids();
                idle.keySet().retainAll(Set.copyOf(ids));
                for (String id : ids) {
                    if (closed) break;
                    Wake w = idle.get(id);
                    if (w != null && w.at().isAfter(now) && w.changedAt() == queue.changedAt(id)) continue;
                    if (inFlight.add(id)) Thread.ofVirtual().name("outbound-" + id).start(() -> attempt(id));
                }
            } catch (RuntimeException e) {
                LOG.warn("outbound queue scan failed: {}", e.getClass().getSimpleName());
            }
            synchronized (signal) {
                try {
                    signal.wait(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One pass over one message: its due recipients, domain by domain; then the report if it is done. */
    private void attempt(String id) {
        try {
            Optional<OutboundQueue.Entry> found = queue.read(id);
            if (found.isEmpty()) return;
            OutboundQueue.Queued q = found.get().queued();
            byte[] message = found.get().message();
            Instant now = clock.instant();
            List<Recipient> state = new ArrayList<>(q.recipients());
            Map<String, List<Integer>> due = new LinkedHashMap<>();
            for (int i = 0; i < state.size(); i++) {
                Recipient r = state.get(i);
                if (r.status() != Status.PENDING || r.nextAttempt().isAfter(now)) continue;
                due.computeIfAbsent(domainOf(r.address()), d -> new ArrayList<>()).add(i);
            }
            boolean delayReported = q.delayReported();
            if (!due.isEmpty()) {
                for (var e : due.entrySet()) deliverToDomain(q, e.getKey(), e.getValue(), state, message);
                queue.update(id, state, delayReported);
            }
            List<Recipient> pending = state.stream().filter(r -> r.status() == Status.PENDING).toList();
            Instant delayNoticeAt = q.queuedAt().plus(settings.delayNotice());
            if (pending.isEmpty()) {
                finish(q, state, message);
                idle.remove(id);
                return;
            }
            if (!delayReported && clock.instant().isAfter(delayNoticeAt)) {
                reportDelay(q, pending, message);
                queue.update(id, state, delayReported = true);
            }
            Instant next = pending.stream().map(Recipient::nextAttempt).min(Instant::compareTo).orElseThrow();
            if (!delayReported && delayNoticeAt.isBefore(next)) next = delayNoticeAt;
            idle.put(id, new Wake(next, queue.changedAt(id)));
        } catch (RuntimeException e) {
            LOG.warn("outbound {}: attempt failed ({})", id, e.getClass().getSimpleName());
        } finally {
            inFlight.remove(id);
        }
    }

    private void deliverToDomain(OutboundQueue.Queued q, String domain, List<Integer> indexes, List<Recipient> state, byte[] message) {
        Semaphore gate = perDomain.computeIfAbsent(domain, d -> new Semaphore(settings.perDomain()));
        if (!gate.tryAcquire()) return; // this domain has its connections; the next pass tries again
        try {
            Instant now = clock.instant();
            boolean expired = now.isAfter(q.queuedAt().plus(settings.maxAge()));
            Map<String, SmtpClient.Reply> answers = switch (resolver.route(domain)) {
                case MxResolver.Route.Hosts h -> send(h.hosts(), q.reversePath(), addresses(indexes, state), message);
                case MxResolver.Route.NoMail n -> fail(indexes, state, "5.1.10 The domain accepts no mail (null MX)");
                case MxResolver.Route.NoSuchDomain n -> fail(indexes, state, "5.1.2 The domain has no mail server");
                case MxResolver.Route.Temporary t -> Map.of();
            };
            for (int i : indexes) {
                Recipient r = state.get(i);
                SmtpClient.Reply a = answers.get(r.address());
                if (a != null && a.positive()) state.set(i, r.next(Status.DELIVERED, now, a.toString()));
                else if (a != null && a.permanent()) state.set(i, r.next(Status.FAILED, now, a.toString()));
                else if (expired) state.set(i, r.next(Status.FAILED, now, a != null ? a.toString()
                        : "451 4.4.7 Delivery time expired (" + settings.maxAge().toDays() + " days)"));
                else state.set(i, r.next(Status.PENDING, now.plus(backoff(r.attempts() + 1)),
                        a != null ? a.toString() : "451 4.4.1 No answer from the domain's mail servers"));
            }
            LOG.info("outbound {}: {} recipient(s) at one domain, {} answered", q.id(), indexes.size(), answers.size());
        } finally {
            gate.release();
        }
    }

    /** A permanent failure (550, with {@code text}) of every recipient at a domain that cannot take mail. */
    private static Map<String, SmtpClient.Reply> fail(List<Integer> indexes, List<Recipient> state, String text) {
        Map<String, SmtpClient.Reply> out = new LinkedHashMap<>();
        for (int i : indexes) out.put(state.get(i).address(), new SmtpClient.Reply(550, List.of(text)));
        return out;
    }

    /** Tries the hosts in order (each address of each); the first connection that takes the transaction answers. */
    private Map<String, SmtpClient.Reply> send(List<MxResolver.Host> hosts, String reversePath, List<String> recipients, byte[] message) {
        for (MxResolver.Host h : hosts) {
            for (InetAddress a : h.addresses()) {
                try (SmtpClient c = SmtpClient.connect(new InetSocketAddress(a, settings.port()), h.name(), hostname, settings.timeout(),
                        Optional.of(opportunistic), false)) {
                    return c.send(reversePath, recipients, message, true, false).recipients();
                } catch (IOException e) {
                    LOG.info("outbound: a host of the domain did not take the message ({})", e.getClass().getSimpleName());
                }
            }
        }
        return Map.of();
    }

    /** Every recipient is done: report the failed ones to the sender's own mailbox, then forget the message. */
    private void finish(OutboundQueue.Queued q, List<Recipient> state, byte[] original) {
        List<Recipient> failed = state.stream().filter(r -> r.status() == Status.FAILED).toList();
        if (!failed.isEmpty()) {
            Optional<AliasRecord> sender = control.aliasById(q.aliasId());
            if (sender.isPresent()) {
                // RFC 3464 §2 / RFC 5321 §4.5.5: a report has the null sender, so it is never reported on.
                deliverToSender(sender.get(), DeliveryReport.failed(hostname, q.reversePath(), q.queuedAt(), failed, original, clock.instant()));
            }
        }
        queue.remove(q.id());
        LOG.info("outbound {}: done, {} delivered, {} failed", q.id(), state.size() - failed.size(), failed.size());
    }

    /** Tells the sender once that these recipients are still being tried (RFC 3464 Action: delayed). */
    private void reportDelay(OutboundQueue.Queued q, List<Recipient> pending, byte[] original) {
        Optional<AliasRecord> sender = control.aliasById(q.aliasId());
        if (sender.isEmpty()) return;
        byte[] notice = DeliveryReport.delayed(hostname, q.reversePath(), q.queuedAt(), pending, original, clock.instant(),
                q.queuedAt().plus(settings.maxAge()));
        deliverToSender(sender.get(), notice);
        LOG.info("outbound {}: delay notice for {} recipient(s)", q.id(), pending.size());
    }

    /** A report into the sender's own mailbox, through its spool; null sender, so never reported on. */
    private void deliverToSender(AliasRecord sender, byte[] report) {
        byte[] withPath = "Return-Path: <>\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        spool.enqueue(sender, new java.io.SequenceInputStream(new ByteArrayInputStream(withPath), new ByteArrayInputStream(report)),
                clock.instant());
    }

    private static List<String> addresses(List<Integer> indexes, List<Recipient> state) {
        return indexes.stream().map(i -> state.get(i).address()).toList();
    }

    /** 1, 2, 4 ... minutes after the n-th attempt, at most an hour. */
    static Duration backoff(int attempts) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
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
