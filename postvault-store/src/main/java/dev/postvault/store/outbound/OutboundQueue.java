package dev.postvault.store.outbound;

import dev.postvault.crypto.Aead;
import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.CryptoException;
import dev.postvault.crypto.Durability;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mail for other servers, on disk until every recipient is delivered or has failed for good. Each
 * message is two files named by a random id, both sealed with ChaCha20-Poly1305 under a subkey of
 * the server key and bound to that id: {@code ID.msg} (envelope and message, written once and fsync'd
 * before the client is told 250) and {@code ID.state} (each recipient's status, replaced atomically
 * after every attempt; absent until the first). No address, subject or body is readable in any file
 * or file name.
 *
 * <p>After a crash a message is found again with the state last written: a recipient delivered but
 * not yet recorded is sent once more (at least once, as RFC 5321 §6.1 expects of a queue).
 */
public final class OutboundQueue {
    private static final Pattern ID = Pattern.compile("[0-9a-z]{32}");
    private static final int FORMAT = 1;
    /** Message files since DSN: format 1 followed by the DSN request. */
    private static final int FORMAT_DSN = 2;
    /** Message files since REQUIRETLS: format 2 followed by whether it was required. */
    private static final int FORMAT_REQUIRETLS = 3;
    /** State files since the delay notice: format 1 plus whether the sender was told of a delay. */
    private static final int STATE_FORMAT = 2;

    private final Path dir;
    private final SecretKey32 key;

    /** What a recipient has come to. */
    public enum Status { PENDING, DELIVERED, FAILED }

    /**
     * One recipient's state. {@code lastReply} is what the remote server last answered (it may name
     * the recipient: it is sealed with the rest and never logged).
     */
    public record Recipient(String address, Status status, int attempts, Instant nextAttempt, String lastReply) {
        public Recipient next(Status s, Instant when, String reply) {
            return new Recipient(address, s, attempts + 1, when, reply);
        }

        @Override
        public String toString() {
            return "Recipient[" + status + ", attempts=" + attempts + "]";
        }
    }

    /**
     * What the sender asked of delivery status notifications (RFC 3461), kept as given.
     *
     * @param ret "FULL", "HDRS" or "" (not given)
     * @param envelopeId ENVID, "" when not given
     * @param notifyOn by recipient, NOTIFY as given ("NEVER", or conditions joined by commas)
     * @param originalRecipients by recipient, ORCPT as "addr-type;address"
     */
    public record Dsn(String ret, String envelopeId, java.util.Map<String, String> notifyOn, java.util.Map<String, String> originalRecipients) {
        public static final Dsn NONE = new Dsn("", "", java.util.Map.of(), java.util.Map.of());

        public Dsn {
            notifyOn = java.util.Map.copyOf(notifyOn);
            originalRecipients = java.util.Map.copyOf(originalRecipients);
        }
    }

    /**
     * A queued message.
     *
     * @param aliasId who submitted it (bounces go into this alias's mailbox)
     * @param reversePath the envelope sender
     * @param delayReported whether the sender has been told that delivery is delayed
     * @param dsn what the sender asked of reports
     * @param requireTls the sender asked for REQUIRETLS (RFC 8689): only over verified TLS, to servers that take it on
     */
    public record Queued(String id, String aliasId, String reversePath, Instant queuedAt, List<Recipient> recipients,
                         boolean delayReported, Dsn dsn, boolean requireTls) {
        public Queued {
            recipients = List.copyOf(recipients);
        }

        public boolean finished() {
            return recipients.stream().noneMatch(r -> r.status() == Status.PENDING);
        }

        @Override
        public String toString() {
            return "Queued[" + id + ", " + recipients.size() + " recipients]";
        }
    }

    /** @param key the server key's subkey for the outbound queue */
    public OutboundQueue(Path dir, SecretKey32 key) {
        this.dir = dir;
        this.key = key;
        try {
            Files.createDirectories(dir);
            // Leftovers of a write that a crash interrupted: never renamed, so never part of the queue.
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
                for (Path p : tmp) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "outbound queue directory: " + e.getMessage(), e);
        }
    }

    /**
     * Queues {@code message} for {@code recipients}; returns its id once the file and its directory
     * entry are on disk.
     */
    public String enqueue(String aliasId, String reversePath, List<String> recipients, byte[] message, Instant now) {
        return enqueue(aliasId, reversePath, recipients, message, now, Dsn.NONE, false);
    }

    /**
     * As {@link #enqueue(String, String, List, byte[], Instant)}, with what the sender asked of reports
     * and whether it required TLS all the way (REQUIRETLS).
     */
    public String enqueue(String aliasId, String reversePath, List<String> recipients, byte[] message, Instant now, Dsn dsn,
                          boolean requireTls) {
        if (recipients.isEmpty()) throw StoreException.invalid("a queued message needs a recipient");
        String id = Bytes.randomId();
        var out = new ByteArrayOutputStream(message.length + 256);
        try (var d = new DataOutputStream(out)) {
            d.writeInt(FORMAT_REQUIRETLS);
            d.writeUTF(aliasId);
            d.writeUTF(reversePath);
            d.writeLong(now.getEpochSecond());
            d.writeInt(now.getNano());
            d.writeInt(recipients.size());
            for (String r : recipients) d.writeUTF(r);
            d.writeInt(message.length);
            d.write(message);
            d.writeUTF(dsn.ret());
            d.writeUTF(dsn.envelopeId());
            for (var map : List.of(dsn.notifyOn(), dsn.originalRecipients())) {
                d.writeInt(map.size());
                for (var e : map.entrySet()) {
                    d.writeUTF(e.getKey());
                    d.writeUTF(e.getValue());
                }
            }
            d.writeBoolean(requireTls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeSealed(dir.resolve(id + ".msg"), out.toByteArray(), aad(id, "msg"), false);
        return id;
    }

    /** The ids of every queued message, in no particular order. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.msg")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - 4);
                if (ID.matcher(id).matches()) out.add(id);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "outbound queue: " + e.getMessage(), e);
        }
        return out;
    }

    /** A queued message with its envelope, state and the message itself, read in one go. */
    public record Entry(Queued queued, byte[] message) {}

    /** The whole entry (one read and one decryption of its file); empty when it is no longer queued. */
    public Optional<Entry> read(String id) {
        return load(id);
    }

    /** The message's envelope and state; empty when it is no longer queued. */
    public Optional<Queued> find(String id) {
        return load(id).map(Entry::queued);
    }

    /** The message as it will be sent; empty when it is no longer queued. */
    public Optional<byte[]> message(String id) {
        return load(id).map(Entry::message);
    }

    /**
     * When the entry's state last changed (its state file, else its message file), in milliseconds;
     * 0 when it is gone. Lets a reader that keeps the state in memory notice a change by another
     * process (the {@code queue retry} command) without reading the entry again.
     */
    public long changedAt(String id) {
        if (!ID.matcher(id).matches()) return 0;
        try {
            Path state = dir.resolve(id + ".state");
            return Files.getLastModifiedTime(Files.exists(state) ? state : dir.resolve(id + ".msg")).toMillis();
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Records the recipients' new state (after an attempt), replacing the old one atomically. */
    public void update(String id, List<Recipient> recipients) {
        boolean delayReported;
        try {
            delayReported = ID.matcher(id).matches() && state(id).map(State::delayReported).orElse(false);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "outbound queue: " + e.getMessage(), e);
        }
        update(id, recipients, delayReported);
    }

    /** As {@link #update(String, List)}, also recording whether the sender was told of a delay. */
    public void update(String id, List<Recipient> recipients, boolean delayReported) {
        if (!ID.matcher(id).matches()) throw StoreException.invalid("not a queue id");
        var out = new ByteArrayOutputStream(64 * recipients.size() + 8);
        try (var d = new DataOutputStream(out)) {
            d.writeInt(STATE_FORMAT);
            d.writeInt(recipients.size());
            for (Recipient r : recipients) {
                d.writeUTF(r.address());
                d.writeByte(r.status().ordinal());
                d.writeInt(r.attempts());
                d.writeLong(r.nextAttempt().getEpochSecond());
                d.writeUTF(r.lastReply());
            }
            d.writeBoolean(delayReported);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeSealed(dir.resolve(id + ".state"), out.toByteArray(), aad(id, "state"), true);
    }

    /** Removes a message (every recipient finished, or an administrator dropped it). */
    public boolean remove(String id) {
        if (!ID.matcher(id).matches()) return false;
        try {
            boolean existed = Files.deleteIfExists(dir.resolve(id + ".msg"));
            Files.deleteIfExists(dir.resolve(id + ".state"));
            // No directory fsync: an unlink a power cut undoes brings the message back, to be sent
            // again (RFC 5321 §6.1 prefers a second copy to a loss); every crash of the process alone
            // sees it gone at once.
            return existed;
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "outbound queue: " + e.getMessage(), e);
        }
    }

    private Optional<Entry> load(String id) {
        if (!ID.matcher(id).matches()) return Optional.empty();
        byte[] plain;
        try {
            plain = Aead.open(key, Files.readAllBytes(dir.resolve(id + ".msg")), aad(id, "msg"));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "outbound queue: " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new StoreException(StoreException.Kind.CORRUPT, "outbound queue entry " + id + " does not open");
        }
        try (var d = new DataInputStream(new ByteArrayInputStream(plain))) {
            int format = d.readInt();
            if (format != FORMAT && format != FORMAT_DSN && format != FORMAT_REQUIRETLS) {
                throw new StoreException(StoreException.Kind.CORRUPT, "outbound queue entry " + id + ": unknown format");
            }
            String aliasId = d.readUTF();
            String reversePath = d.readUTF();
            Instant queuedAt = Instant.ofEpochSecond(d.readLong(), d.readInt());
            int n = d.readInt();
            List<Recipient> recipients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) recipients.add(new Recipient(d.readUTF(), Status.PENDING, 0, queuedAt, ""));
            byte[] message = new byte[d.readInt()];
            d.readFully(message);
            Dsn dsn = Dsn.NONE;
            if (format >= FORMAT_DSN) {
                String ret = d.readUTF();
                String envid = d.readUTF();
                List<java.util.Map<String, String>> maps = new ArrayList<>(2);
                for (int m = 0; m < 2; m++) {
                    int k = d.readInt();
                    java.util.Map<String, String> map = new java.util.HashMap<>();
                    for (int i = 0; i < k; i++) map.put(d.readUTF(), d.readUTF());
                    maps.add(map);
                }
                dsn = new Dsn(ret, envid, maps.get(0), maps.get(1));
            }
            boolean requireTls = format >= FORMAT_REQUIRETLS && d.readBoolean();
            Optional<State> state = state(id);
            return Optional.of(new Entry(new Queued(id, aliasId, reversePath, queuedAt, state.map(State::recipients).orElse(recipients),
                    state.map(State::delayReported).orElse(false), dsn, requireTls), message));
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.CORRUPT, "outbound queue entry " + id + " is truncated");
        }
    }

    private record State(List<Recipient> recipients, boolean delayReported) {}

    private Optional<State> state(String id) throws IOException {
        byte[] plain;
        try {
            plain = Aead.open(key, Files.readAllBytes(dir.resolve(id + ".state")), aad(id, "state"));
        } catch (NoSuchFileException none) {
            return Optional.empty(); // no attempt recorded yet: every recipient pending
        } catch (CryptoException e) {
            // A state file torn by a power loss (it is renamed into place before it is fsync'd, see
            // update): every recipient is tried again. A second copy is what RFC 5321 §6.1 prefers to a loss.
            return Optional.empty();
        }
        try (var d = new DataInputStream(new ByteArrayInputStream(plain))) {
            int format = d.readInt();
            if (format != FORMAT && format != STATE_FORMAT) {
                throw new StoreException(StoreException.Kind.CORRUPT, "outbound queue state " + id + ": unknown format");
            }
            int n = d.readInt();
            List<Recipient> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Recipient(d.readUTF(), Status.values()[d.readByte()], d.readInt(), Instant.ofEpochSecond(d.readLong()), d.readUTF()));
            }
            return Optional.of(new State(out, format == STATE_FORMAT && d.readBoolean()));
        }
    }

    /**
     * Writes {@code plain} sealed to a temporary file and renames it into place, fsyncing the file and
     * the directory. {@code visibleFirst} renames before the file's fsync: a process killed at any
     * point after the rename finds the new file when it starts again (the page cache outlives it), so
     * "this recipient was delivered" is on record a few microseconds after the remote's 250 rather than
     * after a disk flush; that shrinks the window in which a kill -9 makes the message go out twice.
     * Without it (a new message), nothing is visible until it is on the disk.
     */
    private void writeSealed(Path target, byte[] plain, byte[] aad, boolean visibleFirst) {
        Path tmp = target.resolveSibling(target.getFileName() + "." + Bytes.randomId() + ".tmp");
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                var buf = java.nio.ByteBuffer.wrap(Aead.seal(key, plain, aad));
                while (buf.hasRemaining()) ch.write(buf);
                if (!visibleFirst) ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (visibleFirst) {
                try (var ch = java.nio.channels.FileChannel.open(target, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Durability.fsyncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the constructor removes leftovers
            }
            boolean full = e.getMessage() != null && e.getMessage().contains("No space left");
            throw new StoreException(full ? StoreException.Kind.DISK_FULL : StoreException.Kind.TEMPORARY, "outbound queue: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] aad(String id, String part) {
        return ("postvault/outbound/" + id + "/" + part).getBytes(StandardCharsets.US_ASCII);
    }
}
