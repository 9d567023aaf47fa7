package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed message: its top-level entity (header of the message, body of the message) and its
 * envelope. Also used for each message encapsulated in a message/rfc822 part, with offsets still into
 * the outermost raw bytes.
 */
public record MessageStructure(MimePart root, Envelope envelope) {
    public MessageStructure {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(envelope, "envelope");
    }

    /**
     * Resolves an IMAP section part number (RFC 3501 §6.4.5, RFC 9051 §6.4.5), e.g. {@code part(4, 2, 1)}
     * for {@code BODY[4.2.1]}. An empty path returns the root.
     *
     * <ul>
     *   <li>In a multipart, {@code n} is the n-th child (1-based).</li>
     *   <li>A non-multipart message has only part 1, its body: the root entity itself.</li>
     *   <li>After a message/rfc822 part, the next number addresses the parts of the encapsulated
     *       message's body by the same two rules.</li>
     * </ul>
     *
     * Returns empty for numbers that do not exist, including zero and negatives.
     */
    public Optional<MimePart> part(int... path) {
        Objects.requireNonNull(path, "path");
        if (path.length == 0) return Optional.of(root);
        MimePart container = root;
        boolean containerIsMessage = true;
        for (int i = 0; i < path.length; i++) {
            int n = path[i];
            MimePart selected;
            if (container.isMultipart()) {
                // RFC 3501 §6.4.5: every part of a multipart has a part number.
                List<MimePart> kids = container.children();
                if (n < 1 || n > kids.size()) return Optional.empty();
                selected = kids.get(n - 1);
            } else if (containerIsMessage && n == 1) {
                // RFC 3501 §6.4.5: a message that is not multipart has only part 1, its body.
                selected = container;
            } else {
                return Optional.empty();
            }
            if (i == path.length - 1) return Optional.of(selected);
            if (selected.isMultipart()) {
                container = selected;
                containerIsMessage = false;
            } else if (selected.encapsulated().isPresent()) {
                // RFC 3501 §6.4.5: parts of a message/rfc822 part are the parts of the encapsulated body.
                container = selected.encapsulated().get().root();
                containerIsMessage = true;
            } else {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Depth-first list of every entity, including encapsulated messages' roots and their parts. */
    public List<MimePart> allParts() {
        ArrayList<MimePart> out = new ArrayList<>();
        collect(root, out);
        return List.copyOf(out);
    }

    private static void collect(MimePart p, List<MimePart> out) {
        out.add(p);
        for (MimePart c : p.children()) collect(c, out);
        p.encapsulated().ifPresent(m -> collect(m.root(), out));
    }
}
