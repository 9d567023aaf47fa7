package dev.postvault.store.spool;

import dev.postvault.crypto.Aead;
import dev.postvault.crypto.Bytes;
import dev.postvault.crypto.CryptoException;
import dev.postvault.crypto.Durability;
import dev.postvault.crypto.HybridKem;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.crypto.ServerKey;
import dev.postvault.crypto.StreamSealer;
import dev.postvault.store.DiskSpace;
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
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sealed per-alias spool of append-only segments; see the package documentation for the durability argument. */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int BODY_VERSION = 1;
    private static final String SEGMENT = ".seg";
    private static final String UNREADABLE = ".unreadable";
    private static final String TEMP = ".tmp-";
    /** Messages per drain transaction, and the sealed bytes one batch may hold. */
    private static final int BATCH_MESSAGES = 128;
    private static final long BATCH_BYTES = 32L * 1024 * 1024;
    /** A segment takes no more records past this size; the next append starts a new one. */
    private static final long SEGMENT_MAX_BYTES = 64L * 1024 * 1024;
    /** Messages larger than this are sealed straight into a segment of their own, streamed. */
    private static final int INLINE_MESSAGE_BYTES = 1024 * 1024;
    /** Open segments (one file descriptor each) kept at most; the least recently used is retired. */
    private static final int MAX_ACTIVE_SEGMENTS = 256;
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    /** Decoded recipient keys kept for the aliases mail arrived for most recently. */
    private static final int RECIPIENT_CACHE = 4096;

    private final Path dir;
    private final SecretKey32 containerKey;
    private final ChangeBus bus;
    private final Map<String, AliasLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Recipient> recipients = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recipient> eldest) {
            return size() > RECIPIENT_CACHE;
        }
    };

    /** An alias's public key as stored and as decoded: decoding checks the ML-KEM key, which costs ~40 µs. */
    private record Recipient(byte[] encoded, HybridKem.PublicKeys keys) {}

    /** The segment this process appends an alias's mail to, and the lock that orders the appends. */
    private static final class AliasLog {
        final ReentrantLock lock = new ReentrantLock();
        ActiveSegment current;
    }

    private final DiskSpace disk;

    /** A spool whose new mail leaves the automatic reserve free ({@link DiskSpace#AUTO}). */
    public Spool(Path dir, ServerKey serverKey, ChangeBus bus) {
        this(dir, serverKey, bus, DiskSpace.of(dir, DiskSpace.AUTO));
    }

    public Spool(Path dir, ServerKey serverKey, ChangeBus bus, DiskSpace disk) {
        this.disk = disk;
        this.dir = dir;
        this.containerKey = serverKey.subkey("spool");
        this.bus = bus;
    }

    /**
     * Seals {@code message} to the alias and makes it durable before returning, then tells live
     * sessions. Returns the spool id. Sealing runs on the caller's thread before any lock is taken;
     * the record is then appended to the alias's active segment, and one fdatasync serves every
     * record appended before it started (group commit across concurrent SMTP sessions).
     */
    public String enqueue(AliasRecord alias, InputStream message, Instant receivedAt) {
        Path aliasDir = aliasDir(alias.id());
        String spoolId = timeOrderedId(receivedAt.toEpochMilli());
        try {
            byte[] head = message.readNBytes(INLINE_MESSAGE_BYTES + 1);
            // Sealed mail takes about its size once; a streamed one is checked by what arrived so far
            // and may still meet a full disk, which fails it cleanly (nothing half-written stays).
            if (!disk.hasRoomFor(head.length)) throw DiskSpace.full();
            if (head.length > INLINE_MESSAGE_BYTES) {
                enqueueAlone(alias, spoolId, new SequenceInputStream(new ByteArrayInputStream(head), message), receivedAt);
            } else {
                var body = new ByteArrayOutputStream(head.length + 2048);
                writeBody(alias, spoolId, receivedAt, new ByteArrayInputStream(head), body);
                append(alias.id(), aliasDir, SegmentFormat.record(body.toByteArray()), spoolId);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot write to spool", e);
        }
        bus.publish(new ChangeEvent.SpoolArrived(alias.id()));
        return spoolId;
    }

    private void append(String aliasId, Path aliasDir, byte[] record, String spoolId) throws IOException {
        AliasLog log = logs.computeIfAbsent(aliasId, k -> new AliasLog());
        ActiveSegment segment;
        ActiveSegment full = null;
        boolean created = false;
        long end;
        log.lock.lock();
        try {
            segment = log.current;
            if (segment == null || segment.unusable() || segment.size() >= SEGMENT_MAX_BYTES) {
                full = segment;
                Files.createDirectories(aliasDir);
                segment = ActiveSegment.create(aliasDir.resolve(newSegmentName() + SEGMENT));
                log.current = segment;
                created = true;
            }
            end = segment.append(record, spoolId);
        } finally {
            log.lock.unlock();
        }
        if (full != null) full.retire();
        segment.syncTo(end);
        if (created) retireLeastRecentlyUsed();
    }

    /**
     * A large message gets a segment of its own, sealed as it streams: written under a temporary name,
     * its length patched into the header, fdatasync'd, renamed into place, directory fsync'd.
     */
    private void enqueueAlone(AliasRecord alias, String spoolId, InputStream message, Instant receivedAt) throws IOException {
        Path aliasDir = aliasDir(alias.id());
        Files.createDirectories(aliasDir);
        String name = newSegmentName();
        Path tmp = aliasDir.resolve(TEMP + name);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.position(SegmentFormat.HEADER_BYTES);
                var crc = new CRC32C();
                long[] count = {0};
                OutputStream counting = new FilterOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        crc.update(b, off, len);
                        count[0] += len;
                    }

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }
                };
                writeBody(alias, spoolId, receivedAt, message, counting);
                counting.flush();
                if (count[0] > Integer.MAX_VALUE) throw new StoreException(StoreException.Kind.TOO_BIG, "message too big for the spool");
                ByteBuffer trailer = ByteBuffer.wrap(SegmentFormat.trailer((int) crc.getValue()));
                while (trailer.hasRemaining()) ch.write(trailer, SegmentFormat.HEADER_BYTES + count[0] + trailer.position());
                ByteBuffer header = ByteBuffer.wrap(SegmentFormat.header((int) count[0]));
                while (header.hasRemaining()) ch.write(header, header.position());
                ch.force(false);
            }
            Files.move(tmp, aliasDir.resolve(name + SEGMENT), StandardCopyOption.ATOMIC_MOVE);
            Durability.fsyncDirectory(aliasDir);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** {@code u8 version | u8 id length | spool id | u32 n | AEAD(spool key, received-at)(n) | sealed message}. */
    private void writeBody(AliasRecord alias, String spoolId, Instant receivedAt, InputStream message, OutputStream out) throws IOException {
        var data = new DataOutputStream(out);
        byte[] id = spoolId.getBytes(StandardCharsets.US_ASCII);
        data.writeByte(BODY_VERSION);
        data.writeByte(id.length);
        data.write(id);
        byte[] header = Aead.seal(containerKey, header(receivedAt), aad(alias.id(), spoolId));
        data.writeInt(header.length);
        data.write(header);
        StreamSealer.seal(recipientKeys(alias), message, data);
        data.flush();
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

    /** Whether anything may be waiting for the alias (a segment exists; it may turn out to hold nothing new). */
    public boolean hasPending(String aliasId) {
        return !segmentFiles(aliasId).isEmpty();
    }

    /** Spool ids of the complete records waiting for an alias, oldest segment first. */
    public List<String> pending(String aliasId) {
        List<String> out = new ArrayList<>();
        for (Path segment : segmentFiles(aliasId)) {
            if (ActiveSegment.isActive(segment)) {
                // Never open a segment a writer in this JVM holds: closing it would drop the writer's lock.
                AliasLog log = logs.get(aliasId);
                ActiveSegment a = log == null ? null : log.current;
                if (a != null && a.path().equals(segment)) out.addAll(a.ids());
                continue;
            }
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
                var scanner = new SegmentFormat.Scanner(ch);
                for (var e = scanner.next(); !(e instanceof SegmentFormat.End); e = scanner.next()) {
                    if (e instanceof SegmentFormat.Complete c) out.add(spoolIdOf(ch, c));
                }
            } catch (NoSuchFileException drained) {
                // removed meanwhile
            } catch (IOException e) {
                throw new StoreException(StoreException.Kind.TEMPORARY, "cannot read spool", e);
            }
        }
        return out;
    }

    /**
     * The alias's segments as files that no writer will touch again, for a backup to copy as they are
     * (ciphertext: safe without any key). This process's active segment is retired first.
     */
    public List<Path> sealedSegments(String aliasId) {
        rotate(aliasId);
        return segmentFiles(aliasId).stream().filter(p -> !ActiveSegment.isActive(p)).toList();
    }

    /**
     * Moves everything waiting for the mailbox's alias into its INBOX. Safe to call concurrently, from
     * several processes and after a crash: receipts inside the mailbox make delivery idempotent, and
     * a segment is deleted only by a drain that holds its lock (no writer anywhere) and has committed
     * every record in it. Returns how many messages were delivered.
     */
    public int drain(Mailbox mailbox) {
        return mailbox.drainSpool(this);
    }

    /** The drain itself, into what a mailbox exposes to the spool ({@link Mailbox#drainSpool}). */
    public int drain(DrainTarget mailbox) {
        String aliasId = mailbox.aliasId();
        if (!mailbox.drainLock().tryLock()) return 0; // another session of this alias is draining now
        var run = new DrainRun(mailbox);
        try {
            removeStaleTemps(aliasId);
            rotate(aliasId); // what this process appended so far becomes drainable; new mail starts a new segment
            for (Path file : segmentFiles(aliasId)) {
                if (ActiveSegment.isActive(file)) continue; // appended to since the rotation: the next drain takes it
                OpenSegment segment = OpenSegment.open(file);
                if (segment == null) continue;
                run.segments.add(segment);
                var scanner = new SegmentFormat.Scanner(segment.channel);
                for (var e = scanner.next(); ; e = scanner.next()) {
                    if (e instanceof SegmentFormat.End end) {
                        segment.damaged |= end.damaged();
                        break;
                    }
                    if (e instanceof SegmentFormat.Damaged) {
                        segment.damaged = true;
                        continue;
                    }
                    var c = (SegmentFormat.Complete) e;
                    segment.uncommitted++;
                    run.add(new Pending(segment, c, spoolIdOf(segment.channel, c)));
                    if (run.batch.size() >= BATCH_MESSAGES || run.batchBytes >= BATCH_BYTES) run.flush();
                }
                segment.scanned = true;
            }
            run.flush();
            run.finish();
            return run.delivered;
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot read spool", e);
        } finally {
            run.closeAll();
            mailbox.drainLock().unlock();
        }
    }

    /** A segment opened by a drain; {@code lock} is null when another process still appends to it. */
    private static final class OpenSegment {
        final Path path;
        final FileChannel channel;
        final FileLock lock;
        final List<String> ids = new ArrayList<>();
        int uncommitted;
        boolean scanned;
        boolean damaged;
        boolean finished;

        private OpenSegment(Path path, FileChannel channel, FileLock lock) {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
        }

        static OpenSegment open(Path file) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException drained) {
                return null; // another drain finished it
            }
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null; // another drain in this JVM holds it: read, deliver, leave the file to it
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new OpenSegment(file, ch, lock);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the descriptor
            }
        }
    }

    private record Pending(OpenSegment segment, SegmentFormat.Complete record, String spoolId) {}

    /** One drain: records gathered into batches, segments finished once all their records are committed. */
    private final class DrainRun {
        final DrainTarget mailbox;
        final List<OpenSegment> segments = new ArrayList<>();
        List<Pending> batch = new ArrayList<>();
        long batchBytes;
        int delivered;
        Thread cleanup;

        /** The alias's key pairs, decoded by the first batch that has something to unseal. */
        private HybridKem.KeyPairs keys;

        DrainRun(DrainTarget mailbox) {
            this.mailbox = mailbox;
        }

        /**
         * Decoding the private keys costs about as much as the rest of an empty drain, and every
         * login drains: a drain that finds nothing new never decodes them.
         */
        private HybridKem.KeyPairs keys() {
            if (keys == null) keys = mailbox.aliasKeys();
            return keys;
        }

        void add(Pending p) {
            batch.add(p);
            batchBytes += p.record().bodyLength();
        }

        /**
         * Unseals the batch on all cores, commits it in one transaction, then finishes the segments
         * it completed on a separate virtual thread, overlapping the next batch's unsealing.
         */
        void flush() {
            List<Pending> todo = batch;
            batch = new ArrayList<>();
            batchBytes = 0;
            // After a crash a drain finds records it delivered before: skip their unsealing.
            Set<String> done = mailbox.receipted(todo.stream().map(Pending::spoolId).toList());
            List<Pending> fresh = new ArrayList<>(todo.size());
            for (Pending p : todo) {
                if (!done.contains(p.spoolId())) fresh.add(p);
                else synchronized (p.segment().ids) {
                    p.segment().ids.add(p.spoolId());
                }
            }
            List<SpoolDelivery> deliveries = fresh.isEmpty() ? List.of() : unsealAll(mailbox.aliasId(), fresh, keys());
            join();
            deliverAsSpaceAllows(deliveries);
            for (Pending p : todo) p.segment().uncommitted--;
            List<OpenSegment> finished = takeFinished();
            if (!finished.isEmpty()) cleanup = Thread.ofVirtual().name("spool-cleanup").start(() -> {
                try {
                    finishAll(mailbox, finished);
                } catch (RuntimeException e) {
                    // receipts stay and the files are found again by the next drain
                    LOG.warn("spool cleanup for alias {} failed: {}", mailbox.aliasId(), e.getClass().getSimpleName());
                }
            });
        }

        /**
         * Commits the batch in as few transactions as the free space allows. When not even the next
         * message fits above the disk reserve, what was committed stays (receipts make the next
         * drain skip it) and the drain stops with DISK_FULL, its segments kept.
         */
        private void deliverAsSpaceAllows(List<SpoolDelivery> deliveries) {
            DiskSpace disk = mailbox.disk();
            int from = 0;
            while (from < deliveries.size()) {
                int to = from;
                long bytes = 0;
                while (to < deliveries.size() && disk.hasRoomFor(DiskSpace.inMailbox(bytes + deliveries.get(to).raw().length))) {
                    bytes += deliveries.get(to).raw().length;
                    to++;
                }
                if (to == from) {
                    LOG.debug("drain for alias {} stopped: {} bytes free, {} reserved, next message {} bytes", mailbox.aliasId(),
                            disk.usableBytes(), disk.reserveBytes(), deliveries.get(from).raw().length);
                    throw DiskSpace.full();
                }
                mailbox.deliver(deliveries.subList(from, to));
                delivered += to - from;
                from = to;
            }
        }

        /** Segments still unfinished (a drain that scanned nothing new after its last flush). */
        void finish() {
            join();
            List<OpenSegment> done = takeFinished();
            if (!done.isEmpty()) finishAll(mailbox, done);
        }

        /** Segments wholly scanned whose every record is committed, each handed out once. */
        private List<OpenSegment> takeFinished() {
            List<OpenSegment> done = segments.stream().filter(s -> s.scanned && s.uncommitted == 0 && !s.finished).toList();
            done.forEach(s -> s.finished = true);
            return done;
        }

        void join() {
            if (cleanup == null) return;
            try {
                cleanup.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.TEMPORARY, "interrupted while draining");
            }
            cleanup = null;
        }

        void closeAll() {
            try {
                join();
            } finally {
                segments.forEach(OpenSegment::close);
            }
        }
    }

    /**
     * Removes segments whose every record is now in the mailbox (a damaged one is set aside, never
     * deleted), makes the removal durable, and only then forgets their receipts: a crash in between
     * leaves receipts that make the next drain skip what it finds again.
     */
    private void finishAll(DrainTarget mailbox, List<OpenSegment> done) {
        List<String> forget = new ArrayList<>();
        boolean removed = false;
        for (OpenSegment s : done) {
            try {
                if (s.lock == null) continue; // still written to elsewhere: its receipts keep the next drain exact
                if (s.damaged) {
                    Files.move(s.path, s.path.resolveSibling(s.path.getFileName() + UNREADABLE), StandardCopyOption.ATOMIC_MOVE);
                    LOG.warn("spool segment for alias {} holds records that cannot be read; kept as {}", mailbox.aliasId(), UNREADABLE);
                } else {
                    Files.deleteIfExists(s.path);
                }
                removed = true;
                forget.addAll(s.ids);
            } catch (IOException e) {
                // left in place: the next drain finds only receipted records in it and tries again
            } finally {
                s.close(); // a long drain over many segments keeps only the unfinished ones open
            }
        }
        if (!removed) return;
        try {
            Durability.fsyncDirectory(aliasDir(mailbox.aliasId()));
        } catch (IOException e) {
            return; // receipts stay; harmless
        }
        mailbox.forgetReceipts(forget);
    }

    /** Unseals a batch on all cores at once: the hybrid decapsulation is most of a drain's CPU outside SQLite. */
    private List<SpoolDelivery> unsealAll(String aliasId, List<Pending> todo, HybridKem.KeyPairs keys) {
        if (todo.isEmpty()) return List.of();
        List<Future<SpoolDelivery>> futures = new ArrayList<>(todo.size());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Pending p : todo) futures.add(pool.submit(() -> unseal(aliasId, p, keys)));
        }
        List<SpoolDelivery> out = new ArrayList<>(todo.size());
        for (var f : futures) {
            try {
                SpoolDelivery d = f.get();
                if (d != null) out.add(d);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new StoreException(StoreException.Kind.TEMPORARY,
                        "cannot read spool", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.TEMPORARY, "interrupted while draining");
            }
        }
        return out;
    }

    /** One record opened; null (and the segment marked damaged) when it does not authenticate. */
    private SpoolDelivery unseal(String aliasId, Pending p, HybridKem.KeyPairs keys) throws IOException {
        SegmentFormat.Complete c = p.record();
        InputStream in = c.body() != null ? new ByteArrayInputStream(c.body())
                : new java.io.BufferedInputStream(SegmentFormat.region(p.segment().channel, c.bodyOffset(), c.bodyLength()), 64 * 1024);
        String spoolId = p.spoolId();
        try (in) {
            var data = new DataInputStream(in);
            if (data.readUnsignedByte() != BODY_VERSION) throw CryptoException.malformed("unknown spool record version");
            if (!spoolId.equals(new String(data.readNBytes(data.readUnsignedByte()), StandardCharsets.US_ASCII))) {
                throw CryptoException.malformed("spool record changed while being read");
            }
            int n = data.readInt();
            if (n < 0 || n > 4096) throw CryptoException.malformed("bad spool header");
            byte[] header = Aead.open(containerKey, data.readNBytes(n), aad(aliasId, spoolId));
            Instant receivedAt = Instant.ofEpochMilli(new DataInputStream(new ByteArrayInputStream(header)).readLong());
            var raw = new ByteArrayOutputStream(Math.max(1024, c.bodyLength()));
            StreamSealer.open(keys.privateKeys(), keys.publicKeys(), data, raw);
            synchronized (p.segment().ids) {
                p.segment().ids.add(spoolId);
            }
            return new SpoolDelivery(spoolId, raw.toByteArray(), receivedAt);
        } catch (CryptoException | java.io.EOFException e) {
            // Never delete what we cannot read: the segment is set aside for an operator.
            p.segment().damaged = true;
            LOG.warn("spool record for alias {} could not be opened ({}); its segment will be kept", aliasId, e.getClass().getSimpleName());
            return null;
        }
    }

    /** The spool id at the start of a record's body (readable without any key). */
    private static String spoolIdOf(FileChannel ch, SegmentFormat.Complete c) throws IOException {
        try (var in = new DataInputStream(c.body() != null ? new ByteArrayInputStream(c.body())
                : SegmentFormat.region(ch, c.bodyOffset(), Math.min(c.bodyLength(), 512)))) {
            in.readUnsignedByte();
            return new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
        }
    }

    /** Retires this process's active segment for the alias, if it has one. */
    private void rotate(String aliasId) {
        AliasLog log = logs.get(aliasId);
        if (log == null) return;
        ActiveSegment segment;
        log.lock.lock();
        try {
            segment = log.current;
            log.current = null;
        } finally {
            log.lock.unlock();
        }
        if (segment != null) segment.retire();
    }

    /** Keeps the number of open segment files bounded: mail for aliases nobody reads does not pin descriptors. */
    private void retireLeastRecentlyUsed() {
        if (ActiveSegment.openCount() <= MAX_ACTIVE_SEGMENTS) return; // the common case, without walking every alias
        List<Map.Entry<String, AliasLog>> open = logs.entrySet().stream().filter(e -> e.getValue().current != null).toList();
        if (open.size() <= MAX_ACTIVE_SEGMENTS) return;
        open.stream()
                .sorted(Comparator.comparingLong(e -> {
                    ActiveSegment a = e.getValue().current;
                    return a == null ? Long.MAX_VALUE : a.lastAppendNanos;
                }))
                .limit(open.size() - MAX_ACTIVE_SEGMENTS)
                .forEach(e -> rotate(e.getKey()));
    }

    /** Retires every active segment (the node is shutting down). */
    public void close() {
        for (String aliasId : List.copyOf(logs.keySet())) rotate(aliasId);
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
        rotate(aliasId);
        logs.remove(aliasId);
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return;
        try (Stream<Path> files = Files.list(d)) {
            files.forEach(Spool::deleteQuietly);
            Files.deleteIfExists(d);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot delete spool", e);
        }
    }

    /** The alias's segment files, oldest first (names start with the creation time). */
    private List<Path> segmentFiles(String aliasId) {
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SEGMENT)).sorted().toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.TEMPORARY, "cannot read spool", e);
        }
    }

    private static String newSegmentName() {
        return timeOrderedId(System.currentTimeMillis());
    }

    /** A random id that sorts by {@code millis}: spool ids and segment names both list oldest first. */
    private static String timeOrderedId(long millis) {
        return "%013x".formatted(millis) + Bytes.randomId();
    }

    private void removeStaleTemps(String aliasId) {
        Path d = aliasDir(aliasId);
        if (!Files.isDirectory(d)) return;
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> files = Files.list(d)) {
            files.filter(p -> p.getFileName().toString().startsWith(TEMP)).forEach(p -> {
                try {
                    // A temp file is a large message whose sender never got a 250; it will be retried.
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
        return ByteBuffer.allocate(Long.BYTES).putLong(receivedAt.toEpochMilli()).array();
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
