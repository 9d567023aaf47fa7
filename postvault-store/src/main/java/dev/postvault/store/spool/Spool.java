package dev.postvault.store.spool;

import dev.postvault.crypto.Aead;
import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.CryptoException;
import dev.postvault.crypto.Durability;
import dev.postvault.crypto.HybridKem;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.crypto.ServerKey;
import dev.postvault.crypto.StreamSealer;
import dev.postvault.store.StoreException;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.events.ChangeEvent;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.SpoolDelivery;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sealed per-alias spool; see the package documentation for the durability argument. */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final byte[] MAGIC = "PVSP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final String SUFFIX = ".msg";
    /** Messages per drain transaction, and the plaintext bytes one batch may hold. */
    private static final int BATCH_MESSAGES = 128;
    private static final long BATCH_BYTES = 32L * 1024 * 1024;
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    /** Decoded recipient keys kept for the aliases mail arrived for most recently. */
    private static final int RECIPIENT_CACHE = 4096;

    private final Path dir;
    private final SecretKey32 containerKey;
    private final ChangeBus bus;
    private final Map<String, Recipient> recipients = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recipient> eldest) {
            return size() > RECIPIENT_CACHE;
        }
    };

    /** An alias's public key as stored and as decoded: decoding checks the ML-KEM key, which costs ~40 µs. */
    private record Recipient(byte[] encoded, HybridKem.PublicKeys keys) {}

    public Spool(Path dir, ServerKey serverKey, ChangeBus bus) {
        this.dir = dir;
        this.containerKey = serverKey.subkey("spool");
        this.bus = bus;
    }

    /**
     * Seals {@code message} to the alias and makes it durable (file and directory fsync'd) before
     * returning, then tells live sessions. Returns the spool id.
     */
    public String enqueue(AliasRecord alias, InputStream message, Instant receivedAt) {
        Path aliasDir = aliasDir(alias.id());
        String spoolId = "%013x".formatted(receivedAt.toEpochMilli()) + Bytes.randomId();
        Path tmp = aliasDir.resolve(".tmp-" + spoolId);
        try {
            Files.createDirectories(aliasDir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
                var data = new DataOutputStream(out);
                data.write(MAGIC);
                data.writeByte(VERSION);
                byte[] header = Aead.seal(containerKey, header(receivedAt), aad(alias.id(), spoolId));
                data.writeInt(header.length);
                data.write(header);
                StreamSealer.seal(recipientKeys(alias), message, data);
                data.flush();
                ch.force(true);
            }
            Files.move(tmp, aliasDir.resolve(spoolId + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            Durability.fsyncDirectory(aliasDir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot write to spool", e);
        }
        bus.publish(new ChangeEvent.SpoolArrived(alias.id()));
        return spoolId;
    }

    private HybridKem.PublicKeys recipientKeys(AliasRecord alias) {
        byte[] encoded = alias.publicKey();
        synchronized (recipients) {
            Recipient r = recipients.get(alias.id());
            if (r != null && Arrays.equals(r.encoded(), encoded)) return r.keys();
        }
        var keys = HybridKem.PublicKeys.decode(encoded);
        synchronized (recipients) {
            recipients.put(alias.id(), new Recipient(encoded.clone(), keys));
        }
        return keys;
    }

    public boolean hasPending(String aliasId) {
        return !pending(aliasId).isEmpty();
    }

    /** Spool ids waiting for an alias, oldest first. */
    public List<String> pending(String aliasId) {
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot read spool", e);
        }
    }

    /** The sealed file of a waiting message (ciphertext: safe to copy for a backup without any key). */
    public Path sealedFile(String aliasId, String spoolId) {
        return aliasDir(aliasId).resolve(spoolId + SUFFIX);
    }

    /**
     * Moves everything waiting for the mailbox's alias into its INBOX. Safe to call concurrently and
     * after a crash: receipts inside the mailbox make delivery idempotent. Returns how many were drained.
     */
    public int drain(Mailbox mailbox) {
        String aliasId = mailbox.aliasId();
        if (!mailbox.drainLock().tryLock()) return 0; // another session of this alias is draining now
        try {
            removeStaleTemps(aliasId);
            List<String> ids = pending(aliasId);
            if (ids.isEmpty()) return 0;
            HybridKem.KeyPairs keys = mailbox.aliasKeys();
            int drained = 0;
            List<String> chunk = new ArrayList<>();
            long chunkBytes = 0;
            Thread cleanup = null;
            for (String id : ids) {
                chunk.add(id);
                chunkBytes += sizeOf(aliasId, id);
                if (chunk.size() >= BATCH_MESSAGES || chunkBytes >= BATCH_BYTES) {
                    List<SpoolDelivery> batch = unsealAll(aliasId, chunk, keys);
                    join(cleanup);
                    cleanup = commit(mailbox, batch);
                    drained += batch.size();
                    chunk = new ArrayList<>();
                    chunkBytes = 0;
                }
            }
            List<SpoolDelivery> last = unsealAll(aliasId, chunk, keys);
            join(cleanup);
            join(commit(mailbox, last));
            return drained + last.size();
        } finally {
            mailbox.drainLock().unlock();
        }
    }

    /** Alias ids that have a spool directory. */
    public List<String> aliasIds() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{32}")).toList();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot list spool", e);
        }
    }

    /** Deletes an alias's spool (when the alias is removed). */
    public void deleteAll(String aliasId) {
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return;
        try (Stream<Path> files = Files.list(d)) {
            files.forEach(Spool::deleteQuietly);
            Files.deleteIfExists(d);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot delete spool", e);
        }
    }

    /**
     * Unseals a batch on all cores at once: the hybrid decapsulation is most of the CPU a drain
     * spends outside SQLite, and the mailbox's single writer then commits the batch in one go.
     */
    private List<SpoolDelivery> unsealAll(String aliasId, List<String> ids, HybridKem.KeyPairs keys) {
        if (ids.isEmpty()) return List.of();
        List<java.util.concurrent.Future<SpoolDelivery>> futures = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) futures.add(pool.submit(() -> open(aliasId, id, keys)));
        }
        List<SpoolDelivery> out = new ArrayList<>(ids.size());
        for (var f : futures) {
            try {
                SpoolDelivery d = f.get();
                if (d != null) out.add(d);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.TEMPORARY, "interrupted while draining");
            }
        }
        return out;
    }

    private long sizeOf(String aliasId, String spoolId) {
        try {
            return Files.size(aliasDir(aliasId).resolve(spoolId + SUFFIX));
        } catch (IOException gone) {
            return 0;
        }
    }

    /**
     * Commits a batch into the mailbox, then removes its spool files and receipts on a separate
     * virtual thread, so the removal overlaps the unsealing of the next batch. The caller joins it
     * before the next commit and before returning, so a drain still ends with its files gone.
     */
    private Thread commit(Mailbox mailbox, List<SpoolDelivery> batch) {
        if (batch.isEmpty()) return null;
        List<String> done = mailbox.deliver(batch);
        Path d = aliasDir(mailbox.aliasId());
        return Thread.ofVirtual().name("spool-cleanup").start(() -> {
            for (String id : done) deleteQuietly(d.resolve(id + SUFFIX));
            try {
                Durability.fsyncDirectory(d);
            } catch (IOException e) {
                return; // receipts stay; the next drain removes the files again
            }
            mailbox.forgetReceipts(done);
        });
    }

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TEMPORARY, "interrupted while draining");
        }
    }

    private SpoolDelivery open(String aliasId, String spoolId, HybridKem.KeyPairs keys) {
        Path f = aliasDir(aliasId).resolve(spoolId + SUFFIX);
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f), 64 * 1024)) {
            var data = new DataInputStream(in);
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC) || data.readUnsignedByte() != VERSION) throw CryptoException.malformed("not a spool file");
            int n = data.readInt();
            if (n < 0 || n > 4096) throw CryptoException.malformed("bad spool header");
            byte[] header = Aead.open(containerKey, data.readNBytes(n), aad(aliasId, spoolId));
            var h = new DataInputStream(new ByteArrayInputStream(header));
            Instant receivedAt = Instant.ofEpochMilli(h.readLong());
            var raw = new ByteArrayOutputStream(64 * 1024);
            StreamSealer.open(keys.privateKeys(), keys.publicKeys(), data, raw);
            return new SpoolDelivery(spoolId, raw.toByteArray(), receivedAt);
        } catch (java.nio.file.NoSuchFileException gone) {
            return null; // drained concurrently
        } catch (CryptoException | IOException e) {
            // Never delete what we cannot read: set it aside for an operator, keep draining the rest.
            Path bad = f.resolveSibling(spoolId + ".unreadable");
            try {
                Files.move(f, bad, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ignored) {
                // leave it where it is
            }
            LOG.warn("spool file for alias {} could not be opened ({}); set aside", aliasId, e.getClass().getSimpleName());
            return null;
        }
    }

    private void removeStaleTemps(String aliasId) {
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return;
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> files = Files.list(d)) {
            files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).forEach(p -> {
                try {
                    // A temp file is a message whose sender never got a 250; it will be retried.
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // try again next time
                }
            });
        } catch (IOException ignored) {
            // try again next time
        }
    }

    private Path aliasDir(String aliasId) {
        if (!aliasId.matches("[0-9a-f]{32}")) throw StoreException.invalid("bad alias id");
        return dir.resolve(aliasId);
    }

    private static byte[] header(Instant receivedAt) {
        var b = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(b)) {
            out.writeLong(receivedAt.toEpochMilli());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    private static byte[] aad(String aliasId, String spoolId) {
        return ("postvault/v1/spool/" + aliasId + "/" + spoolId).getBytes(StandardCharsets.US_ASCII);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover is retried or cleaned later
        }
    }
}
