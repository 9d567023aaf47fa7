package dev.postvault.backup.transfer;

import dev.postvault.mime.Mbox;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.SystemFlag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Mail into a mailbox from an mbox file, a Maildir, or another IMAP account ({@link ImapSource}),
 * keeping folders, flags and internal dates. Messages go in batches through
 * {@link Mailbox#importAll}, which skips a message whose exact bytes the folder already has: running
 * an import twice, or again after it was killed, stores every message once.
 */
public final class Import {
    /** One message to import. */
    public record Item(String folder, byte[] raw, MessageFlags flags, Instant internalDate) {}

    /** Where messages come from, one at a time (never the whole source in memory). */
    public interface Source extends AutoCloseable {
        /** The next message; an empty result ends the source. Oversized ones are counted, not returned. */
        Optional<Item> next() throws IOException;

        /** How many messages there are, when known up front (for a progress bar). */
        OptionalInt total();

        /** Messages skipped as larger than the limit. */
        int tooBig();

        @Override
        void close() throws IOException;
    }

    /** The bookkeeping every source shares: the known total and the count of oversized messages. */
    abstract static class CountingSource implements Source {
        private final int total;
        protected int tooBig;

        CountingSource(int total) {
            this.total = total;
        }

        @Override
        public OptionalInt total() {
            return OptionalInt.of(total);
        }

        @Override
        public int tooBig() {
            return tooBig;
        }
    }

    /** What an import did. */
    public record Result(int added, int alreadyThere, int tooBig) {}

    private static final int BATCH_MESSAGES = 200;
    private static final long BATCH_BYTES = 16L << 20;

    private Import() {}

    /** Runs the import; {@code step} is called once per message read. */
    public static Result run(Mailbox m, Source source, IntConsumer step) throws IOException {
        Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        m.folders().forEach(f -> existing.add(f.name()));
        int added = 0;
        int there = 0;
        int n = 0;
        List<Mailbox.NewMessage> batch = new ArrayList<>();
        String batchFolder = null;
        long batchBytes = 0;
        for (Optional<Item> next = source.next(); ; next = source.next()) {
            boolean flush = next.isEmpty() || (batchFolder != null && !next.get().folder().equals(batchFolder))
                    || batch.size() >= BATCH_MESSAGES || batchBytes >= BATCH_BYTES;
            if (flush && !batch.isEmpty()) {
                var r = m.importAll(batchFolder, batch);
                added += r.added();
                there += r.alreadyThere();
                batch.clear();
                batchBytes = 0;
            }
            if (next.isEmpty()) break;
            Item item = next.get();
            if (!existing.contains(item.folder())) {
                try {
                    m.createFolder(item.folder(), Optional.empty());
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.ALREADY_EXISTS) throw e;
                }
                existing.add(item.folder());
            }
            batchFolder = item.folder();
            batch.add(new Mailbox.NewMessage(item.raw(), item.flags(), item.internalDate()));
            batchBytes += item.raw().length;
            step.accept(++n);
        }
        return new Result(added, there, source.tooBig());
    }

    /** An mbox file (RFC 4155, mboxrd) into one folder; flags from Status and X-Status header fields. */
    public static Source mbox(Path file, String folder, long maxMessageBytes) throws IOException {
        int total = countFromLines(file);
        Mbox mbox = new Mbox(Files.newInputStream(file), maxMessageBytes);
        return new CountingSource(total) {
            @Override
            public Optional<Item> next() throws IOException {
                while (true) {
                    Optional<Mbox.Entry> e = mbox.next();
                    if (e.isEmpty()) return Optional.empty();
                    switch (e.get()) {
                        case Mbox.Entry.Oversized o -> tooBig++;
                        case Mbox.Entry.Message msg -> {
                            return Optional.of(new Item(folder, msg.raw(), mboxFlags(msg.raw()), msg.envelopeDate().orElse(Instant.now())));
                        }
                    }
                }
            }

            @Override
            public void close() throws IOException {
                mbox.close();
            }
        };
    }

    private static int countFromLines(Path file) throws IOException {
        int n = 0;
        boolean blankBefore = true;
        try (var in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String l; (l = in.readLine()) != null; ) {
                if (blankBefore && l.startsWith("From ")) n++;
                blankBefore = l.isEmpty();
            }
        }
        return n;
    }

    /** mutt/Thunderbird style: "Status: RO" (R read), "X-Status: AFTD" (answered, flagged, draft, deleted). */
    static MessageFlags mboxFlags(byte[] raw) {
        EnumSet<SystemFlag> flags = EnumSet.noneOf(SystemFlag.class);
        for (String line : headerLines(raw)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("status:") && line.substring(7).contains("R")) flags.add(SystemFlag.SEEN);
            if (lower.startsWith("x-status:")) {
                String v = line.substring(9);
                if (v.contains("A")) flags.add(SystemFlag.ANSWERED);
                if (v.contains("F")) flags.add(SystemFlag.FLAGGED);
                if (v.contains("T")) flags.add(SystemFlag.DRAFT);
                if (v.contains("D")) flags.add(SystemFlag.DELETED);
            }
        }
        return new MessageFlags(flags, new TreeSet<>());
    }

    private static List<String> headerLines(byte[] raw) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '\n') continue;
            int end = i > start && raw[i - 1] == '\r' ? i - 1 : i;
            if (end == start) break; // the empty line ends the header
            out.add(new String(raw, start, end - start, StandardCharsets.ISO_8859_1));
            start = i + 1;
        }
        return out;
    }

    /**
     * A Maildir (and its Maildir++ subfolders ".A.B", imported as "A/B"): messages from new/ and cur/
     * in name order, flags from the ":2,FLAGS" suffix, the internal date from the file's mtime.
     */
    public static Source maildir(Path root, long maxMessageBytes) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        addMaildir(root, "INBOX", files, folders);
        try (Stream<Path> subs = Files.list(root)) {
            for (Path sub : subs.filter(p -> p.getFileName().toString().startsWith(".") && Files.isDirectory(p)).sorted().toList()) {
                String name = sub.getFileName().toString().substring(1).replace('.', '/');
                if (name.isEmpty() || !Files.isDirectory(sub.resolve("cur"))) continue;
                addMaildir(sub, name, files, folders);
            }
        }
        Iterator<Path> fileIt = files.iterator();
        Iterator<String> folderIt = folders.iterator();
        return new CountingSource(files.size()) {
            @Override
            public Optional<Item> next() throws IOException {
                while (fileIt.hasNext()) {
                    Path f = fileIt.next();
                    String folder = folderIt.next();
                    if (Files.size(f) > maxMessageBytes) {
                        tooBig++;
                        continue;
                    }
                    return Optional.of(new Item(folder, crlf(Files.readAllBytes(f)), maildirFlags(f.getFileName().toString()),
                            Files.getLastModifiedTime(f).toInstant()));
                }
                return Optional.empty();
            }

            @Override
            public void close() {}
        };
    }

    private static void addMaildir(Path dir, String folder, List<Path> files, List<String> folders) throws IOException {
        for (String sub : new String[] {"cur", "new"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    files.add(f);
                    folders.add(folder);
                }
            }
        }
    }

    /** The Maildir info suffix ":2,DFRST" (draft, flagged, replied, seen, trashed). */
    static MessageFlags maildirFlags(String name) {
        EnumSet<SystemFlag> flags = EnumSet.noneOf(SystemFlag.class);
        int i = name.lastIndexOf(":2,");
        if (i >= 0) {
            for (char c : name.substring(i + 3).toCharArray()) {
                switch (c) {
                    case 'D' -> flags.add(SystemFlag.DRAFT);
                    case 'F' -> flags.add(SystemFlag.FLAGGED);
                    case 'R' -> flags.add(SystemFlag.ANSWERED);
                    case 'S' -> flags.add(SystemFlag.SEEN);
                    case 'T' -> flags.add(SystemFlag.DELETED);
                    default -> { }
                }
            }
        }
        return new MessageFlags(flags, new TreeSet<>());
    }

    /** Bare LF line ends (as Maildir files usually have) become CRLF, as RFC 5322 messages have them. */
    static byte[] crlf(byte[] raw) {
        var out = new ByteArrayOutputStream(raw.length + raw.length / 40);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out.write('\r');
            out.write(raw[i]);
        }
        return out.toByteArray();
    }
}
