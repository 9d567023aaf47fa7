package dev.postvault.server;

import dev.postvault.smtp.session.DeliveryException;
import dev.postvault.smtp.session.DeliveryPort;
import dev.postvault.smtp.session.RecipientDecision;
import dev.postvault.smtp.session.RejectionKind;
import dev.postvault.smtp.session.Transaction;
import dev.postvault.store.StoreException;
import dev.postvault.store.control.Addresses;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.control.ControlPlane;
import dev.postvault.store.spool.Spool;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inbound MX's delivery port: known aliases of our domains are accepted, anything else refused at
 * RCPT (never relayed); each accepted message is sealed into every recipient's spool, and the SMTP
 * session answers 250 only after all of them are durable.
 */
final class MxDelivery implements DeliveryPort {
    private final ControlPlane control;
    private final Spool spool;

    MxDelivery(ControlPlane control, Spool spool) {
        this.control = control;
        this.spool = spool;
    }

    @Override
    public RecipientDecision checkRecipient(String address) {
        return local(control, address, RecipientDecision.refuse(RejectionKind.RELAY_DENIED));
    }

    @Override
    public void deliver(Transaction tx, byte[] message) {
        seal(spool, aliases(control, tx.recipients()), tx.reversePath(), message, tx.receivedAt());
    }

    /**
     * Accepts an alias of one of our domains; an unknown one of ours is UNKNOWN_RECIPIENT, an address
     * of any other domain gets {@code notOurs} (the MX refuses it, submission queues it).
     */
    static RecipientDecision local(ControlPlane control, String address, RecipientDecision notOurs) {
        Optional<String> normalised = normalise(address);
        if (normalised.isEmpty()) return RecipientDecision.refuse(RejectionKind.UNKNOWN_RECIPIENT);
        try {
            if (!control.hasDomain(Addresses.domainOf(normalised.get()))) return notOurs;
            return control.alias(normalised.get()).isPresent()
                    ? RecipientDecision.accept()
                    : RecipientDecision.refuse(RejectionKind.UNKNOWN_RECIPIENT);
        } catch (StoreException e) {
            return RecipientDecision.refuse(RejectionKind.TEMPORARY);
        }
    }

    /** The aliases of accepted recipients, each once (two addresses may name one alias). */
    static List<AliasRecord> aliases(ControlPlane control, List<String> recipients) {
        List<AliasRecord> targets = new ArrayList<>();
        for (String r : recipients) {
            AliasRecord a = normalise(r).flatMap(control::alias)
                    .orElseThrow(() -> new DeliveryException(RejectionKind.UNKNOWN_RECIPIENT, "recipient vanished"));
            if (targets.stream().noneMatch(t -> t.id().equals(a.id()))) targets.add(a);
        }
        return targets;
    }

    /**
     * Seals {@code message} into the spool of each of {@code targets}, with the Return-Path that final
     * delivery adds; returns once every copy is durable. Shared by the MX and local submission.
     */
    static void seal(Spool spool, List<AliasRecord> targets, Optional<String> reversePath, byte[] message, java.time.Instant receivedAt) {
        // RFC 5321 §4.4: final delivery records the reverse path as the first line of the message.
        byte[] returnPath = ("Return-Path: <" + reversePath.orElse("") + ">\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (AliasRecord a : targets) {
            try {
                spool.enqueue(a, new java.io.SequenceInputStream(new ByteArrayInputStream(returnPath), new ByteArrayInputStream(message)),
                        receivedAt);
            } catch (StoreException e) {
                RejectionKind kind = switch (e.kind()) {
                    case TOO_BIG -> RejectionKind.TOO_BIG;
                    case DISK_FULL -> RejectionKind.SYSTEM_FULL;
                    default -> RejectionKind.TEMPORARY;
                };
                throw new DeliveryException(kind, "spool: " + e.kind(), e);
            }
        }
    }

    static Optional<String> normalise(String address) {
        try {
            return Optional.of(Addresses.address(address));
        } catch (StoreException invalid) {
            return Optional.empty();
        }
    }
}
