package dev.postvault.backup.transfer;

import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A user's mail out of Postvault, in the clear for the user (the file is theirs to keep safe; it is
 * written 0600): an mbox of one folder, a zip of .eml files of every folder, or the whole mailbox as
 * a SQLite3MultipleCiphers file that opens with the password alone. Written to {@code FILE.partial}
 * and renamed at the end, so a killed export leaves no file that looks complete.
 */
public final class Export {
    public enum Format {
        MBOX,
        EML_ZIP,
        SQLITE
    }

    /** What was written. */
    public record Result(int messages, long bytes) {}

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Export() {}

    /** Messages the export will write, for a progress bar. */
    public static int count(Mailbox m, Format f, String folder) {
        return switch (f) {
            case MBOX -> m.messages(m.folder(folder).id()).size();
            case EML_ZIP -> m.folders().stream().filter(x -> !x.noselect()).mapToInt(x -> m.messages(x.id()).size()).sum();
            case SQLITE -> 1;
        };
    }

    /**
     * @param folder the folder of an mbox export
     * @param passphrase what the sqlite export is keyed to (the alias's password)
     * @param step called once per message written (once for the sqlite file)
     */
    public static Result write(Mailbox m, Format f, Path output, String folder, Optional<String> passphrase, IntConsumer step) throws IOException {
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            Result r = switch (f) {
                case MBOX -> stream(partial, out -> mbox(m, m.folder(folder), out, step));
                case EML_ZIP -> stream(partial, out -> emlZip(m, out, step));
                case SQLITE -> {
                    m.exportCopy(partial, passphrase.orElseThrow(() -> new IllegalArgumentException("a sqlite export needs the password")));
                    step.accept(1);
                    yield new Result(1, Files.size(partial));
                }
            };
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return r;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private interface Body {
        int write(OutputStream out) throws IOException;
    }

    private static Result stream(Path file, Body body) throws IOException {
        int n;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 256 * 1024)) {
            n = body.write(out);
        }
        return new Result(n, Files.size(file));
    }

    /**
     * mboxrd (RFC 4155): a "From " line with the internal date, the message with LF line ends, lines
     * matching {@code >*From } quoted with one more '>', and an empty line after each message.
     */
    private static int mbox(Mailbox m, Folder folder, OutputStream out, IntConsumer step) throws IOException {
        int n = 0;
        for (MessageMeta meta : m.messages(folder.id())) {
            out.write(("From MAILER-DAEMON " + ASCTIME.format(meta.internalDate()) + "\n").getBytes(StandardCharsets.US_ASCII));
            var raw = new ByteArrayOutputStream((int) Math.min(meta.size(), Integer.MAX_VALUE - 8));
            m.writeRaw(meta.contentId(), raw);
            writeMboxBody(raw.toByteArray(), out);
            out.write('\n');
            step.accept(++n);
        }
        return n;
    }

    static void writeMboxBody(byte[] raw, OutputStream out) throws IOException {
        int start = 0;
        while (start < raw.length) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') end++;
            int contentEnd = end > start && raw[end - 1] == '\r' ? end - 1 : end; // CRLF and LF both end a line
            int q = start;
            while (q < contentEnd && raw[q] == '>') q++;
            if (contentEnd - q >= 5 && raw[q] == 'F' && raw[q + 1] == 'r' && raw[q + 2] == 'o' && raw[q + 3] == 'm' && raw[q + 4] == ' ') out.write('>');
            out.write(raw, start, contentEnd - start);
            out.write('\n');
            start = end + 1;
        }
    }

    /** One {@code FOLDER/UID.eml} entry per message, every selectable folder. */
    private static int emlZip(Mailbox m, OutputStream out, IntConsumer step) throws IOException {
        int n = 0;
        try (var zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            List<Folder> folders = m.folders().stream().filter(f -> !f.noselect()).toList();
            for (Folder f : folders) {
                for (MessageMeta meta : m.messages(f.id())) {
                    var e = new ZipEntry(f.name() + "/" + String.format(Locale.ROOT, "%08d", meta.uid()) + ".eml");
                    e.setLastModifiedTime(java.nio.file.attribute.FileTime.from(meta.internalDate()));
                    zip.putNextEntry(e);
                    m.writeRaw(meta.contentId(), zip);
                    zip.closeEntry();
                    step.accept(++n);
                }
            }
        }
        return n;
    }
}
