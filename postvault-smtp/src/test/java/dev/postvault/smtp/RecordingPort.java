package dev.postvault.smtp;

import dev.postvault.smtp.session.DeliveryException;
import dev.postvault.smtp.session.DeliveryPort;
import dev.postvault.smtp.session.RecipientDecision;
import dev.postvault.smtp.session.RejectionKind;
import dev.postvault.smtp.session.Transaction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A real in-memory port: local domains, known mailboxes, and a log of what it stored. */
final class RecordingPort implements DeliveryPort {

    record Delivery(Transaction transaction, byte[] message) {
        String text() {
            return new String(message, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The message without our Received header (its three lines). */
        byte[] body() {
            String text = new String(message, java.nio.charset.StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n", text.indexOf("\r\n", text.indexOf("\r\n") + 2) + 2) + 2;
            return java.util.Arrays.copyOfRange(message, end, message.length);
        }
    }

    private final Set<String> domains;
    private final Set<String> mailboxes;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<String> checked = new CopyOnWriteArrayList<>();
    private final AtomicReference<Optional<RejectionKind>> failDeliveries = new AtomicReference<>(Optional.empty());

    RecordingPort(Set<String> domains, Set<String> mailboxes) {
        this.domains = domains;
        this.mailboxes = mailboxes;
    }

    static RecordingPort standard() {
        return new RecordingPort(Set.of("example.com", "foo.com", "xn--bcher-kva.example"),
                Set.of("bob@example.com", "carol@example.com", "jones@foo.com", "brown@foo.com",
                        "\"john doe\"@example.com", "postmaster@mx.test", "jöran@example.com"));
    }

    void failDeliveriesWith(RejectionKind kind) {
        failDeliveries.set(Optional.of(kind));
    }

    @Override
    public RecipientDecision checkRecipient(String address) {
        checked.add(address);
        int at = address.lastIndexOf('@');
        String domain = address.substring(at + 1);
        if (at < 0 || !domains.contains(domain) && !domain.equals("mx.test")) {
            return RecipientDecision.refuse(RejectionKind.RELAY_DENIED);
        }
        String normalised = address.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain;
        return mailboxes.contains(normalised)
                ? RecipientDecision.accept()
                : RecipientDecision.refuse(RejectionKind.UNKNOWN_RECIPIENT);
    }

    @Override
    public void deliver(Transaction transaction, byte[] message) {
        Optional<RejectionKind> failure = failDeliveries.get();
        if (failure.isPresent()) {
            throw new DeliveryException(failure.get(), "configured to fail");
        }
        deliveries.add(new Delivery(transaction, message));
    }
}
