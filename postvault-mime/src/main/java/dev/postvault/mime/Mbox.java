package dev.postvault.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an mbox file message by message, streaming (a mailbox of any size; one message in memory).
 * A message starts at a line beginning "From " at the start of the file or after an empty line
 * (RFC 4155 §2). Lines escaped as {@code >From }, {@code >>From } ... lose one '>' (the mboxrd
 * convention, which also reads mboxo files correctly except for lines that were written as ">From"
 * to begin with). Line ends become CRLF, as RFC 5322 messages have them; the empty line that separates
 * messages is not part of either.
 */
public final class Mbox implements AutoCloseable {
    /** One entry of the file, numbered from 1. */
    public sealed interface Entry {
        int number();

        /** A message and the date of its "From " line, when that parses. */
        record Message(int number, Optional<Instant> envelopeDate, byte[] raw) implements Entry {}

        /** A message over the size limit: skipped, counted, never half-read into memory. */
        record Oversized(int number, long bytes) implements Entry {}
    }

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final InputStream in;
    private final long maxMessageBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private byte[] pendingFromLine;
    private int number;
    private boolean started;

    public Mbox(InputStream in, long maxMessageBytes) {
        this.in = in.markSupported() ? in : new java.io.BufferedInputStream(in, 64 * 1024);
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The next entry, or empty at the end of the file. */
    public Optional<Entry> next() throws IOException {
        if (!started) {
            started = true;
            byte[] first = readLine();
            while (first != null && isBlank(first)) first = readLine();
            if (first == null) return Optional.empty();
            if (!startsWithFrom(first)) throw new IOException("not an mbox file: the first line is not a \"From \" line");
            pendingFromLine = first;
        }
        if (pendingFromLine == null) return Optional.empty();
        byte[] fromLine = pendingFromLine;
        pendingFromLine = null;
        var body = new ByteArrayOutputStream(16 * 1024);
        long size = 0;
        boolean oversized = false;
        boolean previousBlank = false; // held back: it may be the separator before the next "From "
        byte[] l;
        while ((l = readLine()) != null) {
            if (previousBlank && startsWithFrom(l)) {
                pendingFromLine = l;
                break;
            }
            if (previousBlank) size += append(body, new byte[0], oversized);
            boolean blank = isBlank(l);
            if (!blank) size += append(body, unescape(l), oversized);
            previousBlank = blank;
            oversized = oversized || size > maxMessageBytes;
            if (oversized) body.reset();
        }
        number++;
        if (oversized) return Optional.of(new Entry.Oversized(number, size));
        return Optional.of(new Entry.Message(number, envelopeDate(fromLine), body.toByteArray()));
    }

    /** Appends one line (content without its line end) with CRLF; returns the octets it counts for. */
    private static long append(ByteArrayOutputStream out, byte[] content, boolean discard) {
        if (!discard) {
            out.writeBytes(content);
            out.write('\r');
            out.write('\n');
        }
        return content.length + 2L;
    }

    /** The asctime date after the sender in "From sender Sun Nov 22 10:00:00 2026", read as UTC. */
    static Optional<Instant> envelopeDate(byte[] fromLine) {
        String s = new String(fromLine, StandardCharsets.ISO_8859_1).strip();
        String[] parts = s.split("\\s+");
        if (parts.length < 7) return Optional.empty();
        String date = String.join(" ", java.util.Arrays.copyOfRange(parts, parts.length - 5, parts.length));
        try {
            return Optional.of(LocalDateTime.parse(date, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithFrom(byte[] l) {
        return l.length >= 5 && l[0] == 'F' && l[1] == 'r' && l[2] == 'o' && l[3] == 'm' && l[4] == ' ';
    }

    private static boolean isBlank(byte[] l) {
        return l.length == 0;
    }

    /** mboxrd: "&gt;From ", "&gt;&gt;From " ... lose their first '&gt;'. */
    private static byte[] unescape(byte[] l) {
        int i = 0;
        while (i < l.length && l[i] == '>') i++;
        if (i > 0 && l.length - i >= 5 && l[i] == 'F' && l[i + 1] == 'r' && l[i + 2] == 'o' && l[i + 3] == 'm' && l[i + 4] == ' ') {
            return java.util.Arrays.copyOfRange(l, 1, l.length);
        }
        return l;
    }

    /** One line without its LF or CRLF; null at the end. */
    private byte[] readLine() throws IOException {
        line.reset();
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') break;
            line.write(b);
        }
        if (!any) return null;
        byte[] out = line.toByteArray();
        if (out.length > 0 && out[out.length - 1] == '\r') out = java.util.Arrays.copyOf(out, out.length - 1);
        return out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
