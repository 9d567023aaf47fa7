package dev.postvault.server;

import dev.postvault.smtp.client.MxResolver;
import dev.postvault.smtp.client.SmtpClient;
import dev.postvault.smtp.codec.DsnParameters;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.control.ControlPlane;
import dev.postvault.store.outbound.OutboundQueue;
import dev.postvault.store.outbound.OutboundQueue.Recipient;
import dev.postvault.store.outbound.OutboundQueue.Status;
import dev.postvault.store.spool.Spool;
import java.io.ByteArrayInputStream;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbound queue (RFC 5321 §4.5.4): each message's pending recipients, grouped by
 * domain, to the domain's MX hosts in order; 2xx delivered, 5xx failed, 4xx or no connection retried
 * after 1, 2, 4 ... minutes (at most an hour apart) until {@link OutboundSettings#maxAge}. When every
 * recipient is done, the ones that failed are reported to the sender's own mailbox (RFC 3464) and the
 * message leaves the queue. Which hosts are tried and how their TLS must be is {@link DomainSender}'s.
 * Logs queue ids and counts, never addresses.
 */
final class OutboundDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundDelivery.class);
    /** Messages read into memory and being delivered at once; the rest wait in the queue. */
    private static final int MAX_IN_FLIGHT = 64;
    private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration RESCAN_AT_MOST = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);

    private final OutboundQueue queue;
    private final MxResolver resolver;
    private final OutboundSettings settings;
    private final ControlPlane control;
    private final Spool spool;
    private final String hostname;
    private final Clock clock;
    private final DomainSender sender;
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
    /** Messages queued since the last pass, started without a directory listing. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> fresh = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Whether the next pass lists the directory even before the second is up. */
    private volatile boolean rescan = true;
    private volatile boolean closed;
    private Thread loop;

    OutboundDelivery(OutboundQueue queue, OutboundSettings settings, ControlPlane control, Spool spool, String hostname, Clock clock) {
        this.queue = queue;
        this.settings = settings;
        this.resolver = settings.dnsOverHttps().map(uri -> MxResolver.overHttps(uri, settings.timeout()))
                .orElseGet(() -> new MxResolver(settings.resolver(), settings.timeout()));
        this.sender = new DomainSender(resolver, settings, control, hostname, clock);
        this.control = control;
        this.spool = spool;
        this.hostname = hostname;
        this.clock = clock;
    }

    void start() {
        loop = Thread.ofVirtual().name("outbound").start(this::run);
    }

    /** A message was just queued: start on it now, without listing the queue directory. */
    void queued(String id) {
        fresh.add(id);
        signal();
    }

    /** Look at the whole queue now rather than at the next tick. */
    void wake() {
        rescan = true;
        signal();
    }

    private void signal() {
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

    /**
     * The delivery loop: messages just queued are started at once; the directory is listed once a
     * second (retries that have come due, messages from before a restart, {@code queue retry}), or
     * sooner when a pass had to leave messages for lack of a free slot and one has freed up. A burst
     * of submissions therefore costs no listing per message.
     */
    private void run() {
        Instant lastScan = Instant.MIN;
        while (!closed) {
            try {
                Instant now = clock.instant();
                for (String id; inFlight.size() < MAX_IN_FLIGHT && (id = fresh.poll()) != null; ) start(id);
                boolean due = !now.isBefore(lastScan.plus(SCAN_INTERVAL));
                if (due || (rescan && !now.isBefore(lastScan.plus(RESCAN_AT_MOST)))) {
                    rescan = false;
                    lastScan = now;
                    List<String> ids = queue.ids();
                    idle.keySet().retainAll(Set.copyOf(ids));
                    for (String id : ids) {
                        if (closed) break;
                        if (inFlight.size() >= MAX_IN_FLIGHT) {
                            rescan = true; // the rest when a slot frees up
                            break;
                        }
                        Wake w = idle.get(id);
                        if (w != null && w.at().isAfter(now) && w.changedAt() == queue.changedAt(id)) continue;
                        start(id);
                    }
                }
                sender.closeIdle(now);
            } catch (RuntimeException e) {
                LOG.warn("outbound queue scan failed: {}", e.getClass().getSimpleName());
            }
            synchronized (signal) {
                try {
                    if (fresh.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT) signal.wait(rescan ? RESCAN_AT_MOST.toMillis() : 1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        sender.close();
    }

    private void start(String id) {
        if (inFlight.add(id)) Thread.ofVirtual().name("outbound-" + id).start(() -> attempt(id));
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
            for (var e : due.entrySet()) {
                if (!deliverToDomain(q, e.getKey(), e.getValue(), state, message)) continue;
                // Recorded after each domain, not once at the end: what a remote has taken is written
                // down before the next domain is tried, so a crash resends as little as it can. When
                // every recipient has now been delivered, the entry is removed below instead, which a
                // restarted process sees just as soon (an unlink, like the rename of a state file).
                boolean allDelivered = state.stream().allMatch(r -> r.status() == Status.DELIVERED);
                if (!allDelivered) queue.update(id, state, delayReported);
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
            signal(); // a slot is free: a message left waiting need not wait for the tick
        }
    }

    /**
     * One attempt at a domain's recipients of one message; false when the domain's connections were
     * all busy until shutdown and nothing was tried.
     */
    private boolean deliverToDomain(OutboundQueue.Queued q, String domain, List<Integer> indexes, List<Recipient> state, byte[] message) {
        Semaphore gate = perDomain.computeIfAbsent(domain, d -> new Semaphore(settings.perDomain(), true));
        try {
            gate.acquire(); // at most MAX_IN_FLIGHT messages wait here, parked virtual threads
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            Instant now = clock.instant();
            boolean expired = now.isAfter(q.queuedAt().plus(settings.maxAge()));
            List<String> recipients = addresses(indexes, state);
            DomainSender.Attempt answers = switch (resolver.route(domain)) {
                case MxResolver.Route.Hosts h -> sender.send(domain, h.hosts(), q.reversePath(), recipients, message, dsn(q.dsn()), q.requireTls());
                case MxResolver.Route.NoMail n -> DomainSender.Attempt.failed(recipients, "5.1.10 The domain accepts no mail (null MX)");
                case MxResolver.Route.NoSuchDomain n -> DomainSender.Attempt.failed(recipients, "5.1.2 The domain has no mail server");
                case MxResolver.Route.Temporary t -> new DomainSender.Attempt(Map.of(), "451 4.4.3 The domain's DNS did not answer");
            };
            List<DeliveryReport.Line> relayed = new ArrayList<>();
            for (int i : indexes) {
                Recipient r = state.get(i);
                SmtpClient.Reply a = answers.replies().get(r.address());
                if (a != null && a.positive()) {
                    state.set(i, r.next(Status.DELIVERED, now, a.toString()));
                    // RFC 3461 §5.2.2: a server that did not take NOTIFY on sends no success report; say "relayed".
                    if (!answers.dsnPassedOn() && wants(q.dsn(), r.address(), DsnParameters.Notify.SUCCESS)) {
                        relayed.add(DeliveryReport.Line.of(state.get(i), q.dsn()));
                    }
                }
                else if (a != null && a.permanent()) state.set(i, r.next(Status.FAILED, now, a.toString()));
                else if (expired) state.set(i, r.next(Status.FAILED, now, a != null ? a.toString()
                        : answers.failure() + " (retried for " + settings.maxAge().toDays() + " days; 4.4.7 delivery time expired)"));
                else state.set(i, r.next(Status.PENDING, now.plus(backoff(settings.firstRetry(), r.attempts() + 1)),
                        a != null ? a.toString() : answers.failure()));
            }
            LOG.info("outbound {}: {} recipient(s) at one domain, {} answered", q.id(), indexes.size(), answers.replies().size());
            if (!relayed.isEmpty()) {
                control.aliasById(q.aliasId()).ifPresent(sender -> deliverToSender(sender, DeliveryReport.succeeded(DeliveryReport.Action.RELAYED,
                        hostname, q.reversePath(), q.queuedAt(), relayed, message, clock.instant(), q.dsn())));
            }
            return true;
        } finally {
            gate.release();
        }
    }

    /** Every recipient is done: report the failed ones to the sender's own mailbox, then forget the message. */
    private void finish(OutboundQueue.Queued q, List<Recipient> state, byte[] original) {
        List<Recipient> failed = state.stream().filter(r -> r.status() == Status.FAILED).toList();
        // RFC 3461 §4.1: NOTIFY=NEVER, or a NOTIFY without FAILURE, asks for no report.
        List<DeliveryReport.Line> reported = failed.stream().filter(r -> wants(q.dsn(), r.address(), DsnParameters.Notify.FAILURE))
                .map(r -> DeliveryReport.Line.of(r, q.dsn())).toList();
        if (!reported.isEmpty()) {
            Optional<AliasRecord> sender = control.aliasById(q.aliasId());
            if (sender.isPresent()) {
                // RFC 3464 §2 / RFC 5321 §4.5.5: a report has the null sender, so it is never reported on.
                deliverToSender(sender.get(), DeliveryReport.failed(hostname, q.reversePath(), q.queuedAt(), reported, original,
                        clock.instant(), q.dsn()));
            }
        }
        queue.remove(q.id());
        LOG.info("outbound {}: done, {} delivered, {} failed", q.id(), state.size() - failed.size(), failed.size());
    }

    /** Tells the sender once that these recipients are still being tried (RFC 3464 Action: delayed). */
    private void reportDelay(OutboundQueue.Queued q, List<Recipient> pending, byte[] original) {
        Optional<AliasRecord> sender = control.aliasById(q.aliasId());
        List<DeliveryReport.Line> reported = pending.stream().filter(r -> wants(q.dsn(), r.address(), DsnParameters.Notify.DELAY))
                .map(r -> DeliveryReport.Line.of(r, q.dsn())).toList();
        if (sender.isEmpty() || reported.isEmpty()) return; // NOTIFY without DELAY (or NEVER): no notice
        byte[] notice = DeliveryReport.delayed(hostname, q.reversePath(), q.queuedAt(), reported, original, clock.instant(),
                q.queuedAt().plus(settings.maxAge()), q.dsn());
        deliverToSender(sender.get(), notice);
        LOG.info("outbound {}: delay notice for {} recipient(s)", q.id(), pending.size());
    }

    /** A report into the sender's own mailbox, through its spool; null sender, so never reported on. */
    private void deliverToSender(AliasRecord sender, byte[] report) {
        byte[] withPath = "Return-Path: <>\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        spool.enqueue(sender, new java.io.SequenceInputStream(new ByteArrayInputStream(withPath), new ByteArrayInputStream(report)),
                clock.instant());
    }

    /** Whether the sender asked for a report on this condition for this recipient (RFC 3461 §4.1; default: failures and delays). */
    static boolean wants(OutboundQueue.Dsn dsn, String recipient, DsnParameters.Notify condition) {
        return DsnParameters.recipient(dsn.notifyOn().getOrDefault(recipient, ""), "").wants(condition);
    }

    private static SmtpClient.Dsn dsn(OutboundQueue.Dsn d) {
        return new SmtpClient.Dsn(d.ret(), d.envelopeId(), d.notifyOn(), d.originalRecipients());
    }

    private static List<String> addresses(List<Integer> indexes, List<Recipient> state) {
        return indexes.stream().map(i -> state.get(i).address()).toList();
    }

    /** {@code first}, twice that, four times ... after the n-th attempt, at most an hour. */
    static Duration backoff(Duration first, int attempts) {
        Duration d = first.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

}
