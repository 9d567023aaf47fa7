package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What THREAD=REFERENCES links messages by (RFC 5256 §2.2 REFERENCES, steps 1 and 5), derived once
 * from a message's header and envelope; the mailbox keeps these beside each message. With
 * {@link SortKeys#subject()} and {@link SortKeys#sentAt()} they are all the algorithm reads.
 *
 * @param messageId  the first msg-id of Message-ID, without angle brackets; empty without one
 * @param references the msg-ids of References in order, else the first of In-Reply-To
 * @param reply      whether the subject had a reply or forward prefix (its base subject differs from
 *                   the whole subject, both case-mapped)
 */
public record ThreadKeys(String messageId, List<String> references, boolean reply) {
    private static final Pattern MSG_ID = Pattern.compile("<([^<>]+)>");

    public ThreadKeys {
        references = List.copyOf(references);
    }

    public static ThreadKeys of(byte[] header, Envelope e) {
        List<String> refs = new ArrayList<>();
        for (String v : Headers.decoded(header, "References")) refs.addAll(messageIds(v));
        if (refs.isEmpty()) e.inReplyTo().map(ThreadKeys::messageIds).filter(l -> !l.isEmpty()).ifPresent(l -> refs.add(l.getFirst()));
        String id = e.messageId().map(ThreadKeys::messageIds).filter(l -> !l.isEmpty()).map(List::getFirst).orElse("");
        String subject = e.decodedSubject().orElse("");
        boolean reply = !SortKeys.caseMap(SortKeys.collapse(subject)).equals(SortKeys.caseMap(SortKeys.baseSubject(subject)));
        return new ThreadKeys(id, refs, reply);
    }

    /** The msg-ids in a header value, without angle brackets. */
    static List<String> messageIds(String value) {
        List<String> out = new ArrayList<>();
        var m = MSG_ID.matcher(value);
        while (m.find()) out.add(m.group(1).strip());
        return out;
    }
}
