package dev.postvault.imap.session;

import dev.postvault.mime.Headers;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageText;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;

/** A message's stored data, loaded only when a FETCH item or SEARCH key needs it, at most once each. */
final class MessageData {
    private static final int MAX_TEXT_CHARS = 4_000_000;

    private final Mailbox mailbox;
    private final MessageMeta meta;
    private MessageStructure structure;
    private byte[] raw;
    private String body;
    private String headerText;

    MessageData(Mailbox mailbox, MessageMeta meta) {
        this.mailbox = mailbox;
        this.meta = meta;
    }

    MessageStructure structure() {
        if (structure == null) structure = mailbox.structure(meta.contentId());
        return structure;
    }

    byte[] raw() {
        if (raw == null) raw = mailbox.raw(meta.contentId());
        return raw;
    }

    /** Decoded body text (what SEARCH BODY looks at). */
    String body() {
        if (body == null) body = MessageText.body(raw(), structure(), MAX_TEXT_CHARS);
        return body;
    }

    /** Every header field of the message and its parts, decoded, signature values left out (what SEARCH TEXT adds to the body). */
    String headerText() {
        if (headerText == null) headerText = Headers.searchText(raw(), structure());
        return headerText;
    }
}
