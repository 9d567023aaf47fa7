package dev.postvault.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compact, versioned binary form of a {@link MessageStructure}, for caching next to the raw message.
 * {@code decode(encode(s)).equals(s)} holds for every structure.
 *
 * <p>Layout (version 1): one format byte, then the root message. Integers are unsigned LEB128; offsets
 * are stored relative to the enclosing body start (zig-zag), sizes as lengths; strings are
 * length-prefixed UTF-8; optional values carry a presence byte; Sender and Reply-To that equal From are
 * stored as a flag.
 */
public final class MessageStructureCodec {
    /** The format byte written first; bumped whenever the layout changes. */
    public static final int FORMAT_VERSION = 1;
    private static final int MAX_NESTING = 4 * MimeParser.MAX_DEPTH_LIMIT + 16;

    private MessageStructureCodec() {}

    public static byte[] encode(MessageStructure structure) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeMessage(out, structure, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #encode} output.
     *
     * @throws IllegalArgumentException on an unknown version or corrupt/truncated input
     */
    public static MessageStructure decode(byte[] bytes) {
        return read(bytes, "structure", in -> readMessage(in, 0, 0));
    }

    private interface Body<T> {
        T read(In in) throws IOException;
    }

    /**
     * The input: a DataInputStream over the bytes that also decodes a string in place. Strings are
     * most of an envelope, and a FETCH ENVELOPE BODYSTRUCTURE of 10,000 messages decodes some
     * 400,000 of them; copying each out through {@code readNBytes} first took a fifth of its work.
     */
    private static final class In extends DataInputStream {
        private final Source source;

        In(byte[] bytes) {
            this(new Source(bytes));
        }

        private In(Source source) {
            super(source);
            this.source = source;
        }

        /** The next {@code n} bytes as UTF-8; the caller has checked that they are there. */
        String utf8(int n) {
            String s = new String(source.buffer(), source.position(), n, StandardCharsets.UTF_8);
            source.skip(n);
            return s;
        }
    }

    private static final class Source extends ByteArrayInputStream {
        Source(byte[] bytes) {
            super(bytes);
        }

        byte[] buffer() {
            return buf;
        }

        int position() {
            return pos;
        }
    }

    /** Checks the format byte, reads with {@code body}, and requires that nothing is left over. */
    private static <T> T read(byte[] bytes, String what, Body<T> body) {
        try (In in = new In(bytes)) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) throw new IllegalArgumentException("unknown " + what + " version " + version);
            T t = body.read(in);
            if (in.available() != 0) throw new IllegalArgumentException("trailing bytes after " + what);
            return t;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException("corrupt message " + what, e);
        }
    }

    /** The envelope alone, in the layout {@link #encode} gives it, after the same format byte. */
    public static byte[] encodeEnvelope(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeEnvelope(out, envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #encodeEnvelope} output.
     *
     * @throws IllegalArgumentException on an unknown version or corrupt/truncated input
     */
    public static Envelope decodeEnvelope(byte[] bytes) {
        return read(bytes, "envelope", MessageStructureCodec::readEnvelope);
    }

    private static void writeMessage(DataOutputStream out, MessageStructure m, int base) throws IOException {
        writePart(out, m.root(), base);
        writeEnvelope(out, m.envelope());
    }

    private static MessageStructure readMessage(In in, int base, int nesting) throws IOException {
        if (nesting > MAX_NESTING) throw new IllegalArgumentException("structure nested too deeply");
        MimePart root = readPart(in, base, nesting);
        return new MessageStructure(root, readEnvelope(in));
    }

    private static void writePart(DataOutputStream out, MimePart p, int base) throws IOException {
        Varints.write(out, zigzag(p.headerStart() - (long) base));
        Varints.write(out, p.headerEnd() - p.headerStart());
        Varints.write(out, p.bodyEnd() - p.bodyStart());
        Varints.write(out, p.bodyLines());
        writeString(out, p.contentType().type());
        writeString(out, p.contentType().subtype());
        writeMap(out, p.params());
        writeOptional(out, p.contentId());
        writeOptional(out, p.contentDescription());
        writeString(out, p.contentTransferEncoding());
        writeOptional(out, p.contentMd5());
        out.writeBoolean(p.disposition().isPresent());
        if (p.disposition().isPresent()) {
            writeString(out, p.disposition().get().type());
            writeMap(out, p.disposition().get().params());
        }
        Varints.write(out, p.language().size());
        for (String tag : p.language()) writeString(out, tag);
        writeOptional(out, p.location());
        Varints.write(out, p.children().size());
        for (MimePart c : p.children()) writePart(out, c, p.bodyStart());
        out.writeBoolean(p.encapsulated().isPresent());
        if (p.encapsulated().isPresent()) writeMessage(out, p.encapsulated().get(), p.bodyStart());
    }

    private static MimePart readPart(In in, int base, int nesting) throws IOException {
        if (nesting > MAX_NESTING) throw new IllegalArgumentException("structure nested too deeply");
        long headerStart = base + unzigzag(Varints.readLong(in));
        long headerEnd = headerStart + Varints.readInt(in);
        long bodyEnd = headerEnd + Varints.readInt(in);
        if (headerStart < 0 || bodyEnd > Integer.MAX_VALUE) throw new IllegalArgumentException("offset out of range");
        int bodyStart = (int) headerEnd;
        int bodyLines = Varints.readInt(in);
        ContentType type = new ContentType(readString(in), readString(in));
        Map<String, String> params = readMap(in);
        Optional<String> contentId = readOptional(in);
        Optional<String> description = readOptional(in);
        String cte = readString(in);
        Optional<String> md5 = readOptional(in);
        Optional<Disposition> disposition = in.readBoolean()
                ? Optional.of(new Disposition(readString(in), readMap(in))) : Optional.empty();
        int languages = count(in);
        List<String> language = new ArrayList<>(languages);
        for (int i = 0; i < languages; i++) language.add(readString(in));
        Optional<String> location = readOptional(in);
        int childCount = count(in);
        List<MimePart> children = new ArrayList<>(childCount);
        for (int i = 0; i < childCount; i++) children.add(readPart(in, bodyStart, nesting + 1));
        Optional<MessageStructure> encapsulated = in.readBoolean()
                ? Optional.of(readMessage(in, bodyStart, nesting + 1)) : Optional.empty();
        return new MimePart((int) headerStart, bodyStart, bodyStart, (int) bodyEnd, bodyLines, type, params,
                contentId, description, cte, md5, disposition, language, location, children, encapsulated);
    }

    private static void writeEnvelope(DataOutputStream out, Envelope e) throws IOException {
        writeOptional(out, e.date());
        writeOptional(out, e.subject());
        boolean senderIsFrom = e.sender().equals(e.from());
        boolean replyToIsFrom = e.replyTo().equals(e.from());
        out.writeByte((senderIsFrom ? 1 : 0) | (replyToIsFrom ? 2 : 0));
        writeAddresses(out, e.from());
        if (!senderIsFrom) writeAddresses(out, e.sender());
        if (!replyToIsFrom) writeAddresses(out, e.replyTo());
        writeAddresses(out, e.to());
        writeAddresses(out, e.cc());
        writeAddresses(out, e.bcc());
        writeOptional(out, e.inReplyTo());
        writeOptional(out, e.messageId());
    }

    private static Envelope readEnvelope(In in) throws IOException {
        Optional<String> date = readOptional(in);
        Optional<String> subject = readOptional(in);
        int flags = in.readUnsignedByte();
        if ((flags & ~3) != 0) throw new IllegalArgumentException("unknown envelope flags " + flags);
        List<EnvelopeAddress> from = readAddresses(in);
        List<EnvelopeAddress> sender = (flags & 1) != 0 ? from : readAddresses(in);
        List<EnvelopeAddress> replyTo = (flags & 2) != 0 ? from : readAddresses(in);
        return new Envelope(date, subject, from, sender, replyTo, readAddresses(in), readAddresses(in),
                readAddresses(in), readOptional(in), readOptional(in));
    }

    private static final int MAILBOX = 0;
    private static final int GROUP_START = 1;
    private static final int GROUP_END = 2;

    private static void writeAddresses(DataOutputStream out, List<EnvelopeAddress> list) throws IOException {
        Varints.write(out, list.size());
        for (EnvelopeAddress a : list) {
            switch (a) {
                case EnvelopeAddress.Mailbox m -> {
                    out.writeByte(MAILBOX);
                    writeOptional(out, m.name());
                    writeOptional(out, m.adl());
                    writeString(out, m.mailbox());
                    writeString(out, m.host());
                }
                case EnvelopeAddress.GroupStart g -> {
                    out.writeByte(GROUP_START);
                    writeString(out, g.groupName());
                }
                case EnvelopeAddress.GroupEnd g -> out.writeByte(GROUP_END);
            }
        }
    }

    private static List<EnvelopeAddress> readAddresses(In in) throws IOException {
        int n = count(in);
        List<EnvelopeAddress> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int tag = in.readUnsignedByte();
            list.add(switch (tag) {
                case MAILBOX -> new EnvelopeAddress.Mailbox(readOptional(in), readOptional(in), readString(in),
                        readString(in));
                case GROUP_START -> new EnvelopeAddress.GroupStart(readString(in));
                case GROUP_END -> new EnvelopeAddress.GroupEnd();
                default -> throw new IllegalArgumentException("unknown address tag " + tag);
            });
        }
        return list;
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        Varints.write(out, map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static Map<String, String> readMap(In in) throws IOException {
        int n = count(in);
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) map.put(readString(in), readString(in));
        return map;
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) writeString(out, value.get());
    }

    private static Optional<String> readOptional(In in) throws IOException {
        return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        Varints.write(out, utf8.length);
        out.write(utf8);
    }

    private static String readString(In in) throws IOException {
        int n = count(in);
        return in.utf8(n);
    }

    /** A length or count; never more than the bytes left, which also bounds allocations on bad input. */
    private static int count(In in) throws IOException {
        int n = Varints.readInt(in);
        if (n > in.available()) throw new IllegalArgumentException("length exceeds input");
        return n;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
