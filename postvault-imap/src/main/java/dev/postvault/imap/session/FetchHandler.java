package dev.postvault.imap.session;

import dev.postvault.imap.codec.FetchItem;
import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.Octets;
import dev.postvault.imap.codec.Section;
import dev.postvault.imap.render.BodyStructureRenderer;
import dev.postvault.imap.render.EnvelopeRenderer;
import dev.postvault.imap.render.SectionExtractor;
import dev.postvault.mime.MimePart;
import dev.postvault.mime.TransferEncoding;
import dev.postvault.store.StoreException;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MailboxReader;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SystemFlag;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9). */
final class FetchHandler {
    private FetchHandler() {}

    static Next fetch(Exchange x, ImapCommand.Fetch c) {
        fetch(x.out(), x.session().rawOut(), x.tag(), c, x.mailbox(), x.selected());
        return Next.CONTINUE;
    }

    /**
     * Each message's response is rendered into its own buffer and only then copied to {@code out}, so
     * a failure while loading one message never leaves half a response line on the wire.
     */
    static void fetch(ImapResponseWriter w, java.io.OutputStream out, String tag, ImapCommand.Fetch f, Mailbox mailbox, SelectedFolder sel) {
        if (!f.uid() && sel.outOfRange(f.sequenceSet())) {
            w.bad(tag, "Invalid message sequence number");
            return;
        }
        List<SelectedFolder.Numbered> targets = sel.resolve(f.sequenceSet(), f.uid());
        List<FetchItem> items = new ArrayList<>(f.items());
        boolean wasCondstore = sel.condstore;
        if (f.vanished()) {
            // RFC 7162 §3.2.6: UID FETCH ... (CHANGEDSINCE n VANISHED) first reports what was expunged.
            if (!sel.qresync || !f.uid() || f.changedSince().isEmpty()) {
                w.bad(tag, "VANISHED needs QRESYNC, UID FETCH and CHANGEDSINCE");
                return;
            }
            List<Long> gone = mailbox.expungedSince(sel.folder.id(), f.changedSince().getAsLong()).stream()
                    .filter(uid -> f.sequenceSet().savedResult() ? sel.saved.contains(uid) : f.sequenceSet().contains(uid, sel.highestUid())).toList();
            if (!gone.isEmpty()) SelectedFolder.writeVanished(w, gone, true);
        }
        // RFC 7162 §3.1.4: CHANGEDSINCE keeps messages whose MODSEQ is higher, and reports MODSEQ.
        if (f.changedSince().isPresent()) {
            long since = f.changedSince().getAsLong();
            targets = targets.stream().filter(n -> n.meta().modseq() > since).toList();
            sel.condstore = true;
        }
        if (items.stream().anyMatch(i -> i instanceof FetchItem.ModSeq)) sel.condstore = true;
        if (sel.condstore && f.changedSince().isPresent() && items.stream().noneMatch(i -> i instanceof FetchItem.ModSeq)) {
            items.add(new FetchItem.ModSeq());
        }
        if (sel.condstore && !wasCondstore) {
            // RFC 7162 §3.1: the first CONDSTORE-enabling command in a selected mailbox reports it.
            w.untaggedStatus(dev.postvault.imap.codec.ResponseStatus.OK, java.util.Optional.of(
                    new dev.postvault.imap.codec.ResponseCode.HighestModSeq(mailbox.folder(sel.folder.name()).highestModseq())), "Highest");
        }
        // RFC 9051 §6.4.9: UID FETCH responses always carry UID.
        if (f.uid() && items.stream().noneMatch(i -> i instanceof FetchItem.Uid)) items.addFirst(new FetchItem.Uid());

        List<Long> flagged = markSeen(items, targets, mailbox, sel);
        if (!flagged.isEmpty()) {
            sel.update(mailbox.messages(sel.folder.id(), flagged.getFirst(), flagged.getLast()));
            java.util.Set<Long> wanted = targets.stream().map(n -> n.meta().uid()).collect(java.util.stream.Collectors.toSet());
            targets = sel.resolve(f.sequenceSet(), f.uid()).stream().filter(n -> wanted.contains(n.meta().uid())).toList();
        }
        boolean hasFlags = items.stream().anyMatch(i -> i instanceof FetchItem.Flags);
        // ENVELOPE with BODY or BODYSTRUCTURE (as clients ask for them): one read of the structure, which holds the envelope.
        boolean structureWanted = items.stream().anyMatch(i -> i instanceof FetchItem.Body || i instanceof FetchItem.BodyStructure);
        w.flush(); // whatever the session wrote before must precede the FETCH lines written to out directly
        Render render = new Render(items, sel, w.utf8Enabled(), hasFlags, java.util.Set.copyOf(flagged), structureWanted);
        boolean vanished = targets.size() >= 2 * RUN_MESSAGES && items.stream().allMatch(FetchHandler::small)
                ? inParallel(render, targets, mailbox, out) : inSequence(render, targets, mailbox, out);
        if (vanished) {
            w.no(tag, dev.postvault.imap.codec.ResponseCode.Simple.EXPUNGEISSUED, "Some of the requested messages no longer exist");
        } else {
            w.ok(tag, (f.uid() ? "UID FETCH" : "FETCH") + " completed");
        }
    }

    /** What renders one message's FETCH response, the same for every message of the command. */
    private record Render(List<FetchItem> items, SelectedFolder sel, boolean utf8, boolean hasFlags, java.util.Set<Long> flagged,
                          boolean structureWanted) {
        /**
         * Renders {@code n} into {@code one} (emptied first); false when the message was expunged by
         * another session and not yet announced to this one (RFC 9051 §7.5.1), leaving it empty.
         * {@code names} is the caller's own: it is not shared between threads.
         */
        boolean message(Rendered one, SelectedFolder.Numbered n, MailboxReader reader, Names names) {
            MessageData data = new MessageData(reader, n.meta(), structureWanted);
            one.reset();
            var mw = new ImapResponseWriter(one, 512);
            if (utf8) mw.enableUtf8();
            try {
                mw.beginUntagged().number(n.msn()).atom("FETCH").beginList();
                for (FetchItem item : items) writeItem(mw, item, n.meta(), data, sel, names);
                // RFC 9051 §6.4.5: a \Seen set as a side effect is reported even if FLAGS was not asked for.
                if (!hasFlags && flagged.contains(n.meta().uid())) writeItem(mw, new FetchItem.Flags(), n.meta(), data, sel, names);
                mw.endList().endLine();
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.NOT_FOUND) throw e;
                one.reset();
                return false;
            }
            mw.flush();
            return true;
        }
    }

    /**
     * Responses rendered in runs through one reader each (one snapshot, prepared lookups); each run
     * is written out after its reader is closed, so no database snapshot waits on the client. A
     * message's response is rendered whole before any of it is written. Whether a message vanished.
     */
    private static boolean inSequence(Render render, List<SelectedFolder.Numbered> targets, Mailbox mailbox, java.io.OutputStream out) {
        boolean vanished = false;
        var run = new java.io.ByteArrayOutputStream(8192);
        var one = new Rendered();
        var names = new Names();
        MailboxReader reader = null;
        int inRun = 0;
        try {
            for (SelectedFolder.Numbered n : targets) {
                if (reader == null) reader = mailbox.reader();
                if (!render.message(one, n, reader, names)) {
                    vanished = true;
                    continue;
                }
                if (run.size() + one.size() > RUN_BYTES || ++inRun >= RUN_MESSAGES) {
                    reader.close();
                    reader = null;
                    inRun = 0;
                    run.writeTo(out);
                    run.reset();
                    if (one.size() > RUN_BYTES) {
                        one.writeTo(out);
                        one.reset();
                        continue;
                    }
                }
                one.writeTo(run);
                one.reset();
            }
            if (reader != null) {
                reader.close();
                reader = null;
            }
            run.writeTo(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (reader != null) reader.close();
        }
        return vanished;
    }

    /** Runs rendered at once: one per core, at most four, while the session thread writes the finished ones in order. */
    private static final int RENDERERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * A fetch of small items (flags, sizes, dates, envelopes, structures, headers) for many
     * messages, as a client's first sync of a large folder asks: runs of {@link #RUN_MESSAGES}
     * messages are rendered on virtual threads, each through its own reader (closed before its run
     * is written), and written out in order by the session's thread, with at most
     * {@link #RENDERERS} runs rendering and one finished run waiting. The responses are those of
     * {@link #inSequence}; the first sync of 10,000 messages otherwise leaves all but one core idle.
     */
    private static boolean inParallel(Render render, List<SelectedFolder.Numbered> targets, Mailbox mailbox, java.io.OutputStream out) {
        record Run(byte[] bytes, boolean vanished) {}
        boolean vanished = false;
        var pending = new java.util.ArrayDeque<java.util.concurrent.Future<Run>>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = 0; from < targets.size() || !pending.isEmpty(); from += RUN_MESSAGES) {
                if (from < targets.size()) {
                    List<SelectedFolder.Numbered> part = targets.subList(from, Math.min(targets.size(), from + RUN_MESSAGES));
                    pending.add(pool.submit(() -> {
                        var bytes = new java.io.ByteArrayOutputStream(64 * 1024);
                        var one = new Rendered();
                        var names = new Names();
                        boolean gone = false;
                        try (MailboxReader reader = mailbox.reader()) {
                            for (SelectedFolder.Numbered n : part) {
                                if (render.message(one, n, reader, names)) one.writeTo(bytes);
                                else gone = true;
                            }
                        }
                        return new Run(bytes.toByteArray(), gone);
                    }));
                }
                if (pending.size() > RENDERERS || from + RUN_MESSAGES >= targets.size()) {
                    Run r = pending.poll().get();
                    out.write(r.bytes());
                    vanished |= r.vanished();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Kind.TEMPORARY, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
        return vanished;
    }

    /** Items whose response is small and read from the cache: a fetch of only these may render in parallel. */
    private static boolean small(FetchItem item) {
        return switch (item) {
            case FetchItem.Flags _, FetchItem.Uid _, FetchItem.InternalDate _, FetchItem.SaveDate _, FetchItem.Rfc822Size _,
                 FetchItem.ModSeq _, FetchItem.EmailId _, FetchItem.ThreadId _, FetchItem.Envelope _, FetchItem.Body _,
                 FetchItem.BodyStructure _, FetchItem.Rfc822Header _ -> true;
            case FetchItem.BodySection b -> b.section().part().isEmpty() && (b.section().specifier() instanceof Section.Specifier.Header
                    || b.section().specifier() instanceof Section.Specifier.HeaderFields);
            default -> false;
        };
    }

    /**
     * One message's FETCH response as it is rendered: small writes are copied, a large one (a whole
     * message's literal) is kept by reference, so a message of many megabytes is held once, not
     * copied into the response as well.
     */
    static final class Rendered extends java.io.OutputStream {
        private static final int BY_REFERENCE = 64 * 1024;
        private final List<byte[]> parts = new ArrayList<>();
        private final List<int[]> ranges = new ArrayList<>();
        private java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream(256);
        private long size;

        @Override
        public void write(int b) {
            small.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len < BY_REFERENCE) {
                small.write(b, off, len);
            } else {
                keepSmall();
                parts.add(b);
                ranges.add(new int[] {off, len});
            }
            size += len;
        }

        private void keepSmall() {
            if (small.size() == 0) return;
            byte[] copy = small.toByteArray();
            parts.add(copy);
            ranges.add(new int[] {0, copy.length});
            small = new java.io.ByteArrayOutputStream(256);
        }

        long size() {
            return size;
        }

        void writeTo(java.io.OutputStream out) throws java.io.IOException {
            for (int i = 0; i < parts.size(); i++) out.write(parts.get(i), ranges.get(i)[0], ranges.get(i)[1]);
            small.writeTo(out);
        }

        void reset() {
            parts.clear();
            ranges.clear();
            small.reset();
            size = 0;
        }
    }

    /** A run of FETCH responses is written out, and its reader closed, at this many bytes or messages. */
    private static final int RUN_BYTES = 256 * 1024;
    private static final int RUN_MESSAGES = 512;

    /** Sets \Seen on messages whose body a non-PEEK item reads, unless the folder is read-only. */
    private static List<Long> markSeen(List<FetchItem> items, List<SelectedFolder.Numbered> targets, Mailbox mailbox, SelectedFolder sel) {
        boolean setsSeen = items.stream().anyMatch(i -> switch (i) {
            case FetchItem.BodySection b -> !b.peek();
            case FetchItem.Binary b -> !b.peek();
            case FetchItem.Rfc822 r -> true;
            case FetchItem.Rfc822Text r -> true;
            default -> false;
        });
        if (!setsSeen || sel.readOnly) return List.of();
        List<Long> unseen = targets.stream().map(SelectedFolder.Numbered::meta)
                .filter(m -> !m.flags().system().contains(SystemFlag.SEEN)).map(MessageMeta::uid).toList();
        if (unseen.isEmpty()) return List.of();
        return mailbox.addFlags(sel.folder.id(), unseen, EnumSet.of(SystemFlag.SEEN));
    }

    /**
     * What each FETCH item renders the same way for every message (response names, HEADER.FIELDS
     * name sets), made once per command rather than once per message.
     */
    private static final class Names {
        private final java.util.Map<FetchItem, String> responseNames = new java.util.IdentityHashMap<>();
        private final java.util.Map<Section.Specifier.HeaderFields, SectionExtractor.FieldSet> fields = new java.util.IdentityHashMap<>();

        String responseName(FetchItem item) {
            return responseNames.computeIfAbsent(item, FetchItem::responseName);
        }

        SectionExtractor.FieldSet fields(Section.Specifier.HeaderFields f) {
            return fields.computeIfAbsent(f, h -> SectionExtractor.fieldSet(h.fieldNames()));
        }
    }

    private static void writeItem(ImapResponseWriter w, FetchItem item, MessageMeta m, MessageData data, SelectedFolder sel, Names names) {
        switch (item) {
            case FetchItem.Flags ignored -> {
                w.atom("FLAGS");
                Flags.write(w, m.flags(), sel.isRecent(m.uid()));
            }
            case FetchItem.Uid ignored -> w.atom("UID").number(m.uid());
            case FetchItem.InternalDate ignored -> w.atom("INTERNALDATE").dateTime(m.internalDate().atOffset(ZoneOffset.UTC));
            case FetchItem.SaveDate ignored -> w.atom("SAVEDATE").dateTime(m.saveDate().atOffset(ZoneOffset.UTC));
            case FetchItem.Rfc822Size ignored -> w.atom("RFC822.SIZE").number(m.size());
            case FetchItem.ModSeq ignored -> w.atom("MODSEQ").beginList().number(m.modseq()).endList();
            case FetchItem.EmailId ignored -> w.atom("EMAILID").beginList().atom(data.emailId()).endList();
            case FetchItem.ThreadId ignored -> w.atom("THREADID").nil();
            case FetchItem.Envelope ignored -> {
                w.atom("ENVELOPE");
                EnvelopeRenderer.write(w, data.envelope());
            }
            case FetchItem.Body ignored -> {
                w.atom("BODY");
                BodyStructureRenderer.write(w, data.structure().root(), false);
            }
            case FetchItem.BodyStructure ignored -> {
                w.atom("BODYSTRUCTURE");
                BodyStructureRenderer.write(w, data.structure().root(), true);
            }
            case FetchItem.Rfc822 ignored -> w.atom("RFC822").literal(literal(data.raw()));
            case FetchItem.Rfc822Header ignored -> w.atom("RFC822.HEADER").literal(literal(data.header()));
            case FetchItem.Rfc822Text ignored -> w.atom("RFC822.TEXT").literal(literal(
                    SectionExtractor.extract(data.raw(), data.structure(), new Section(List.of(), new Section.Specifier.Text()))));
            case FetchItem.BodySection b -> {
                byte[] bytes = withoutNul(section(data, b.section(), names));
                if (b.partial().isPresent()) bytes = SectionExtractor.partial(bytes, b.partial().get().offsetBytes(), b.partial().get().lengthBytes());
                w.raw(names.responseName(b)).literal(Octets.wrap(bytes));
            }
            case FetchItem.Binary b -> {
                byte[] bytes = binary(data, b.part());
                if (b.partial().isPresent()) bytes = SectionExtractor.partial(bytes, b.partial().get().offsetBytes(), b.partial().get().lengthBytes());
                Octets o = Octets.of(bytes);
                w.raw(b.responseName());
                if (o.contains((byte) 0)) w.literal8(o);
                else w.literal(o);
            }
            case FetchItem.BinarySize b -> w.raw(b.responseName()).number(binary(data, b.part()).length);
        }
    }

    /**
     * A section's bytes. The whole message's header and its fields come from the header cache, so a
     * client's header sync rebuilds no message; everything else is cut out of the message.
     */
    private static byte[] section(MessageData data, Section s, Names names) {
        if (s.part().isEmpty()) {
            switch (s.specifier()) {
                case Section.Specifier.Entire ignored -> {
                    return data.raw();
                }
                case Section.Specifier.Header ignored -> {
                    return data.header();
                }
                case Section.Specifier.HeaderFields f -> {
                    return SectionExtractor.headerFields(data.header(), names.fields(f), f.not());
                }
                default -> { }
            }
        }
        return SectionExtractor.extract(data.raw(), data.structure(), s);
    }

    /**
     * A literal's octets without a copy: the message or section bytes are this command's own (read
     * for it, or made by {@link #withoutNul}) and are not changed after.
     */
    private static Octets literal(byte[] bytes) {
        return Octets.wrap(withoutNul(bytes));
    }

    /**
     * RFC 9051 §4.3: an ordinary literal may not hold NUL. A message stored with NUL octets (appended
     * as literal8, or delivered over SMTP) keeps every other octet and its size in BODY[], RFC822 and
     * their sections; each NUL becomes 0x80, as Dovecot does. BINARY[] with literal8 (RFC 3516) is
     * the exact route.
     */
    static byte[] withoutNul(byte[] bytes) {
        int first = indexOfNul(bytes);
        if (first < 0) return bytes;
        byte[] out = bytes.clone();
        for (int i = first; i < out.length; i++) {
            if (out[i] == 0) out[i] = (byte) 0x80;
        }
        return out;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The first NUL, else -1: eight octets at a time (a word holds a zero octet exactly when
     * {@code (w - 0x01..01) & ~w & 0x80..80} is not zero), since every BODY[] is scanned whole.
     */
    static int indexOfNul(byte[] bytes) {
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            long w = (long) LONGS.get(bytes, i);
            if (((w - 0x0101010101010101L) & ~w & 0x8080808080808080L) != 0) break;
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] == 0) return i;
        }
        return -1;
    }

    /** RFC 3516 §4.2: the part's content with its transfer encoding removed. */
    private static byte[] binary(MessageData data, List<Integer> path) {
        if (path.isEmpty()) return data.raw();
        Optional<MimePart> p = data.structure().part(path.stream().mapToInt(Integer::intValue).toArray());
        return p.map(part -> TransferEncoding.decode(data.raw(), part)).orElse(new byte[0]);
    }

}
