package dev.postvault.imap.session;

import dev.postvault.mime.Envelope;
import dev.postvault.mime.Headers;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageText;
import dev.postvault.store.mailbox.MailboxReader;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SearchTexts;

/**
 * A message's stored data, loaded through the command's reader only when a FETCH item or SEARCH key
 * needs it, at most once each. The header, the structure and the search texts come from the
 * mailbox's cache; only what needs the bodies rebuilds the message.
 */
final class MessageData {
    private final MailboxReader reader;
    private final MessageMeta meta;
    private MessageStructure structure;
    private Envelope envelope;
    private byte[] header;
    private byte[] raw;
    private SearchTexts texts;
    /** Whether the structure will be read anyway: then the envelope comes from it, not read apart. */
    private final boolean structureWanted;

    MessageData(MailboxReader reader, MessageMeta meta) {
        this(reader, meta, false);
    }

    MessageData(MailboxReader reader, MessageMeta meta, boolean structureWanted) {
        this.reader = reader;
        this.meta = meta;
        this.structureWanted = structureWanted;
    }

    MessageStructure structure() {
        if (structure == null) structure = reader.structure(meta.contentId());
        return structure;
    }

    /** The envelope, from the cache without the body structure unless that is loaded or wanted. */
    Envelope envelope() {
        if (envelope == null) envelope = structure != null || structureWanted ? structure().envelope() : reader.envelope(meta.contentId());
        return envelope;
    }

    /** The top-level header as it arrived, through the blank line (BODY[HEADER]). */
    byte[] header() {
        if (header == null) header = raw != null ? java.util.Arrays.copyOf(raw, Math.min(raw.length, structure().root().headerEnd()))
                : reader.header(meta.contentId());
        return header;
    }

    String emailId() {
        return reader.emailId(meta.contentId());
    }

    byte[] raw() {
        if (raw == null) raw = reader.raw(meta.contentId());
        return raw;
    }

    /** The case-folded texts SEARCH TEXT and BODY compare: the indexer's stored copy, else derived from the message (not indexed yet). */
    SearchTexts texts() {
        if (texts == null) texts = reader.texts(meta.contentId()).orElseGet(() -> SearchTexts.of(raw(), structure()));
        return texts;
    }

    /** Decoded body text as written (SEARCH REGEX; TEXT and BODY use {@link #texts}). */
    String body() {
        return MessageText.body(raw(), structure(), SearchTexts.MAX_BODY_CHARS);
    }

    /** Every header field of the message and its parts, decoded, signature values left out, as written (SEARCH REGEX). */
    String headerText() {
        return Headers.searchText(raw(), structure());
    }
}
