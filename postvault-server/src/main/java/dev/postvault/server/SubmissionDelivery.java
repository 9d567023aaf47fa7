package dev.postvault.server;

import dev.postvault.smtp.codec.DsnParameters;
import dev.postvault.mime.Envelope;
import dev.postvault.mime.EnvelopeAddress;
import dev.postvault.mime.MimeParser;
import dev.postvault.smtp.session.DeliveryException;
import dev.postvault.smtp.session.Principal;
import dev.postvault.smtp.session.RecipientDecision;
import dev.postvault.smtp.session.RejectionKind;
import dev.postvault.smtp.session.SubmissionPort;
import dev.postvault.smtp.session.Transaction;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Logins;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.control.ControlPlane;
import dev.postvault.store.spool.Spool;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Submission's port (RFC 6409): logins through the store's one login path, recipients on this
 * server sealed straight into their spools (no network hop), the sender checked against the login.
 * Delivery to other domains needs the outbound queue, which this server does not have yet: such a
 * recipient is refused at RCPT with a reply that says so.
 */
final class SubmissionDelivery implements SubmissionPort {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private final ControlPlane control;
    private final Logins logins;
    private final Spool spool;
    private final SendingRate rate;
    private final dev.postvault.store.control.DkimKeys dkim;
    private final dev.postvault.store.outbound.OutboundQueue outbound;
    private final java.util.function.Consumer<String> queued;
    /** This server's name, as reports name it (Reporting-MTA). */
    private final String hostname;

    /**
     * @param queued called with a message's queue id once it is queued for other servers (the delivery takes it up)
     * @param hostname this server's name, for the reports it writes
     */
    SubmissionDelivery(ControlPlane control, Logins logins, Spool spool, SendingRate rate, dev.postvault.store.control.DkimKeys dkim,
                       dev.postvault.store.outbound.OutboundQueue outbound, java.util.function.Consumer<String> queued, String hostname) {
        this.hostname = hostname;
        this.control = control;
        this.logins = logins;
        this.spool = spool;
        this.rate = rate;
        this.dkim = dkim;
        this.outbound = outbound;
        this.queued = queued;
    }

    @Override
    public java.util.Optional<RejectionKind> admit(Principal principal) {
        return rate.allows(principal.aliasId()) ? java.util.Optional.empty() : java.util.Optional.of(RejectionKind.RATE_LIMITED);
    }

    @Override
    public Login authenticate(String user, String password, InetAddress client) {
        try {
            AliasRecord alias = logins.authenticate(user, password, client);
            var addresses = new java.util.HashSet<>(control.sendAs(alias.id()));
            addresses.add(alias.address());
            return new Login.Success(new Principal(alias.id(), addresses));
        } catch (StoreException e) {
            return switch (e.kind()) {
                case AUTHENTICATION_FAILED -> new Login.Failed();
                case THROTTLED -> new Login.Throttled(e.getMessage());
                default -> new Login.Unavailable();
            };
        }
    }

    @Override
    public RecipientDecision checkRecipient(Principal principal, String address) {
        // An alias of ours must exist; an address anywhere else goes to the outbound queue.
        return MxDelivery.local(control, address, RecipientDecision.accept());
    }

    @Override
    public void deliver(Principal principal, Transaction tx, byte[] message) {
        Checked checked = checkedAndCompleted(principal, message, domainOf(tx.reversePath().orElseThrow()));
        byte[] complete = checked.message();
        // RFC 6376: signed by the From: domain (DMARC alignment, RFC 7489 §3.1.1) when it has keys here.
        var keys = dkim.active(checked.fromDomain());
        if (!keys.isEmpty()) complete = dev.postvault.mime.dkim.DkimSigner.sign(complete, keys, tx.receivedAt());
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (String r : tx.recipients()) {
            if (control.hasDomain(dev.postvault.store.control.Addresses.domainOf(MxDelivery.normalise(r).orElse(r)))) local.add(r);
            else remote.add(r);
        }
        // Both durable before the 250: the spool copies of local recipients, then one queue entry for the rest.
        if (!local.isEmpty()) MxDelivery.seal(spool, MxDelivery.aliases(control, local), tx.reversePath(), complete, tx.receivedAt());
        dev.postvault.store.outbound.OutboundQueue.Dsn dsn = queued(tx.dsn());
        if (!remote.isEmpty()) {
            String id;
            try {
                id = outbound.enqueue(principal.aliasId(), tx.reversePath().orElseThrow(), remote, complete, tx.receivedAt(), dsn,
                        tx.requireTls());
            } catch (dev.postvault.store.StoreException e) {
                throw new DeliveryException(e.kind() == dev.postvault.store.StoreException.Kind.DISK_FULL ? RejectionKind.SYSTEM_FULL
                        : RejectionKind.TEMPORARY, "outbound queue: " + e.kind(), e);
            }
            queued.accept(id);
        }
        rate.record(principal.aliasId());
        // RFC 3461 §6.2: NOTIFY=SUCCESS for a mailbox of this server is answered at once, "delivered".
        List<DeliveryReport.Line> delivered = local.stream().filter(r -> tx.dsn().of(r).wants(DsnParameters.Notify.SUCCESS))
                .map(r -> new DeliveryReport.Line(r, dsn.originalRecipients().getOrDefault(r, ""), "250 2.0.0 Delivered to the mailbox",
                        tx.receivedAt())).toList();
        var sender = delivered.isEmpty() ? java.util.Optional.<AliasRecord>empty() : control.aliasById(principal.aliasId());
        if (sender.isPresent()) {
            byte[] report = DeliveryReport.succeeded(DeliveryReport.Action.DELIVERED, hostname, tx.reversePath().orElseThrow(),
                    tx.receivedAt(), delivered, complete, tx.receivedAt(), dsn);
            MxDelivery.seal(spool, List.of(sender.get()), java.util.Optional.empty(), report, tx.receivedAt());
        }
    }

    /** The transaction's DSN request as the queue keeps it. */
    private static dev.postvault.store.outbound.OutboundQueue.Dsn queued(Transaction.Dsn d) {
        java.util.Map<String, String> notify = new java.util.HashMap<>();
        java.util.Map<String, String> orcpt = new java.util.HashMap<>();
        d.recipients().forEach((address, p) -> {
            p.notifyOn().ifPresent(n -> notify.put(address, DsnParameters.notifyValue(n)));
            p.originalRecipient().ifPresent(o -> orcpt.put(address, o));
        });
        return new dev.postvault.store.outbound.OutboundQueue.Dsn(d.ret().map(Enum::name).orElse(""), d.envelopeId().orElse(""), notify, orcpt);
    }

    /** The message as it will be stored, and the domain of its (single, checked) From: address. */
    record Checked(byte[] message, String fromDomain) {}

    /**
     * The message's From: and Sender: must be addresses of this login (RFC 6409 §6.1), each field at
     * most once (RFC 5322 §3.6); a missing Date: or Message-ID: is added (RFC 6409 §8.2, §8.3) at the
     * end of the header.
     */
    static Checked checkedAndCompleted(Principal principal, byte[] message, String domain) {
        int headerEnd = headerEnd(message);
        byte[] header = new byte[headerEnd + 2];
        System.arraycopy(message, 0, header, 0, headerEnd);
        header[headerEnd] = '\r';
        header[headerEnd + 1] = '\n';
        if (count(header, "from") > 1 || count(header, "sender") > 1) {
            throw new DeliveryException(RejectionKind.SENDER_NOT_ALLOWED, "repeated From: or Sender:");
        }
        Envelope envelope = MimeParser.parse(header).envelope();
        List<EnvelopeAddress.Mailbox> from = mailboxes(envelope.from());
        if (from.isEmpty()) throw new DeliveryException(RejectionKind.NO_FROM_FIELD, "no From:");
        List<EnvelopeAddress.Mailbox> senders = new ArrayList<>(from);
        senders.addAll(mailboxes(envelope.sender()));
        for (EnvelopeAddress.Mailbox m : senders) {
            if (!principal.mayUse(m.address())) throw new DeliveryException(RejectionKind.SENDER_NOT_ALLOWED, "From:/Sender: not allowed");
        }
        StringBuilder added = new StringBuilder();
        if (count(header, "date") == 0) added.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        if (count(header, "message-id") == 0) added.append("Message-ID: <").append(randomId()).append('@').append(domain).append(">\r\n");
        String fromDomain = from.getFirst().host().toLowerCase(Locale.ROOT);
        if (added.isEmpty()) return new Checked(message, fromDomain);
        var out = new ByteArrayOutputStream(message.length + added.length());
        out.write(message, 0, headerEnd);
        out.writeBytes(added.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(message, headerEnd, message.length - headerEnd);
        return new Checked(out.toByteArray(), fromDomain);
    }

    /**
     * Where the header's fields end (after the last field's CRLF, before the blank line), or the whole
     * message when it has none. Submission checks the header with it; delivery reports copy it.
     */
    static int headerEnd(byte[] m) {
        if (m.length >= 2 && m[0] == '\r' && m[1] == '\n') return 0;
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') return i + 2;
        }
        return m.length;
    }

    /** How many fields named {@code name} (case-insensitive) the header holds. */
    private static int count(byte[] header, String name) {
        int n = 0;
        for (int i = 0; i < header.length; ) {
            if (header.length - i > name.length() && header[i + name.length()] == ':'
                    && new String(header, i, name.length(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(name)) {
                n++;
            }
            while (i < header.length && header[i] != '\n') i++;
            i++;
        }
        return n;
    }

    private static List<EnvelopeAddress.Mailbox> mailboxes(List<EnvelopeAddress> list) {
        List<EnvelopeAddress.Mailbox> out = new ArrayList<>();
        for (EnvelopeAddress a : list) if (a instanceof EnvelopeAddress.Mailbox m) out.add(m);
        return out;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "localhost" : address.substring(at + 1);
    }

    private static String randomId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        return new String(id);
    }
}
