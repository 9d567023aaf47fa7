package dev.postvault.store.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.StoreException;
import dev.postvault.store.outbound.OutboundQueue.Recipient;
import dev.postvault.store.outbound.OutboundQueue.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound queue on a real directory: round trips, per-recipient state, nothing in clear, tampering. */
class OutboundQueueTest {
    @TempDir Path dir;
    private final SecretKey32 key = SecretKey32.random();
    private static final Instant NOW = Instant.parse("2026-12-07T23:00:00.123456789Z");
    private static final byte[] MESSAGE = ("From: alice@sender.example\r\nTo: bob@receiver.example\r\nSubject: merger plans zx81\r\n\r\n"
            + "the vault combination is 31-7-42\r\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void aQueuedMessageComesBackWithItsRecipientsPendingAndTheirStateAsRecorded() {
        var q = new OutboundQueue(dir.resolve("outbound"), key);
        String id = q.enqueue("alias-1", "alice@sender.example", List.of("bob@receiver.example", "carol@other.example"), MESSAGE, NOW);
        assertThat(q.ids()).containsExactly(id);
        var queued = q.find(id).orElseThrow();
        assertThat(queued.aliasId()).isEqualTo("alias-1");
        assertThat(queued.reversePath()).isEqualTo("alice@sender.example");
        assertThat(queued.queuedAt()).isEqualTo(NOW);
        assertThat(queued.recipients()).extracting(Recipient::address).containsExactly("bob@receiver.example", "carol@other.example");
        assertThat(queued.recipients()).allMatch(r -> r.status() == Status.PENDING && r.attempts() == 0);
        assertThat(q.message(id)).hasValueSatisfying(m -> assertThat(m).isEqualTo(MESSAGE));

        Instant later = Instant.parse("2026-12-07T23:05:00Z");
        q.update(id, List.of(queued.recipients().get(0).next(Status.DELIVERED, later, "250 2.0.0 ok"),
                queued.recipients().get(1).next(Status.PENDING, later, "451 4.3.0 try again")));
        // A new queue object over the same directory (a restart) sees the recorded state.
        var again = new OutboundQueue(dir.resolve("outbound"), key).find(id).orElseThrow();
        assertThat(again.recipients()).extracting(Recipient::status).containsExactly(Status.DELIVERED, Status.PENDING);
        assertThat(again.recipients().get(1).lastReply()).isEqualTo("451 4.3.0 try again");
        assertThat(again.recipients().get(1).attempts()).isEqualTo(1);
        assertThat(again.finished()).isFalse();

        assertThat(q.remove(id)).isTrue();
        assertThat(q.ids()).isEmpty();
        assertThat(q.find(id)).isEmpty();
        assertThat(q.remove(id)).isFalse();
    }

    @Test
    void noFileOrFileNameShowsAnAddressSubjectOrBody() throws Exception {
        var q = new OutboundQueue(dir.resolve("outbound"), key);
        String id = q.enqueue("alias-1", "alice@sender.example", List.of("bob@receiver.example"), MESSAGE, NOW);
        q.update(id, List.of(new Recipient("bob@receiver.example", Status.PENDING, 1, NOW, "450 bob@receiver.example busy")));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(f.getFileName().toString()).matches("[0-9a-f]{32}\\.(msg|state)");
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : List.of("alice", "bob@", "receiver.example", "merger plans", "vault combination", "alias-1")) {
                    assertThat(content).as("%s holds %s", f, secret).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void aTamperedOrForeignFileIsRefusedAsCorruptAndLeftoversOfACrashAreCleared() throws Exception {
        Path d = dir.resolve("outbound");
        var q = new OutboundQueue(d, key);
        String id = q.enqueue("alias-1", "alice@sender.example", List.of("bob@receiver.example"), MESSAGE, NOW);
        byte[] sealed = Files.readAllBytes(d.resolve(id + ".msg"));
        sealed[sealed.length / 2] ^= 1;
        Files.write(d.resolve(id + ".msg"), sealed);
        assertThatThrownBy(() -> q.find(id)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));

        String other = q.enqueue("alias-1", "alice@sender.example", List.of("bob@receiver.example"), MESSAGE, NOW);
        assertThatThrownBy(() -> new OutboundQueue(d, SecretKey32.random()).find(other)).isInstanceOf(StoreException.class);
        // A file moved under another id does not open either: each is bound to its own id.
        String third = "0123456789abcdef0123456789abcdef";
        Files.copy(d.resolve(other + ".msg"), d.resolve(third + ".msg"));
        assertThatThrownBy(() -> q.find(third)).isInstanceOf(StoreException.class);

        Files.write(d.resolve(other + ".msg.deadbeef.tmp"), new byte[] {1, 2, 3});
        new OutboundQueue(d, key);
        assertThat(Files.exists(d.resolve(other + ".msg.deadbeef.tmp"))).isFalse();
        assertThat(q.find(other)).isPresent();
    }

    @Test
    void aStateFileThatDoesNotOpenSendsEveryRecipientAgainRatherThanLosingTheMessage() throws Exception {
        Path d = dir.resolve("outbound");
        var q = new OutboundQueue(d, key);
        String id = q.enqueue("alias-1", "alice@sender.example", List.of("bob@receiver.example", "carol@receiver.example"), MESSAGE, NOW);
        var delivered = q.find(id).orElseThrow().recipients().stream()
                .map(r -> r.next(OutboundQueue.Status.DELIVERED, NOW, "250 ok")).toList();
        q.update(id, delivered);
        assertThat(q.find(id).orElseThrow().recipients()).allMatch(r -> r.status() == OutboundQueue.Status.DELIVERED);
        Files.write(d.resolve(id + ".state"), new byte[0]); // what a power loss can leave of a file renamed before its flush
        assertThat(q.find(id).orElseThrow().recipients()).hasSize(2).allMatch(r -> r.status() == OutboundQueue.Status.PENDING);
    }
}
