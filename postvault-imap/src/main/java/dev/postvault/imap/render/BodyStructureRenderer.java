package dev.postvault.imap.render;

import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.mime.Disposition;
import dev.postvault.mime.MimePart;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, grammar §9 body). BODY is the non-extensible form;
 * BODYSTRUCTURE adds the extension data (MD5, disposition, language, location; multipart parameters).
 */
public final class BodyStructureRenderer {
    private BodyStructureRenderer() {}

    public static void write(ImapResponseWriter w, MimePart p, boolean extended) {
        if (p.isMultipart()) {
            multipart(w, p, extended);
        } else {
            single(w, p, extended);
        }
    }

    // RFC 9051 §9 body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    private static void multipart(ImapResponseWriter w, MimePart p, boolean extended) {
        w.beginList();
        if (p.children().isEmpty()) {
            emptyTextPart(w);
        } else {
            boolean first = true;
            for (MimePart c : p.children()) {
                if (!first) w.adjacent(); // 1*body: no space between the parts
                write(w, c, extended);
                first = false;
            }
        }
        w.string(p.contentType().subtype().toUpperCase(java.util.Locale.ROOT));
        if (extended) {
            params(w, p.params());
            disposition(w, p.disposition());
            language(w, p.language());
            w.nstring(p.location());
        }
        w.endList();
    }

    // RFC 9051 §9 body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
    private static void single(ImapResponseWriter w, MimePart p, boolean extended) {
        w.beginList();
        w.string(p.contentType().type().toUpperCase(java.util.Locale.ROOT));
        w.string(p.contentType().subtype().toUpperCase(java.util.Locale.ROOT));
        params(w, p.params());
        w.nstring(p.contentId());
        w.nstring(p.contentDescription());
        w.string(p.contentTransferEncoding().toUpperCase(java.util.Locale.ROOT));
        w.number(p.bodySizeOctets());
        if (p.encapsulated().isPresent()) {
            // body-type-msg: envelope, body of the encapsulated message, lines
            var m = p.encapsulated().get();
            EnvelopeRenderer.write(w, m.envelope());
            write(w, m.root(), extended);
            w.number(p.bodyLines());
        } else if (p.contentType().isText()) {
            w.number(p.bodyLines()); // body-type-text: body-fld-lines
        }
        if (extended) {
            w.nstring(p.contentMd5());
            disposition(w, p.disposition());
            language(w, p.language());
            w.nstring(p.location());
        }
        w.endList();
    }

    /** A multipart without any part still needs one body (grammar: 1*body); report an empty text part. */
    private static void emptyTextPart(ImapResponseWriter w) {
        w.beginList();
        w.string("TEXT").string("PLAIN");
        w.beginList().string("CHARSET").string("US-ASCII").endList();
        w.nil().nil().string("7BIT").number(0).number(0);
        w.endList();
    }

    private static void params(ImapResponseWriter w, Map<String, String> params) {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.beginList();
        params.forEach((k, v) -> {
            w.string(k.toUpperCase(java.util.Locale.ROOT));
            w.string(v);
        });
        w.endList();
    }

    private static void disposition(ImapResponseWriter w, Optional<Disposition> d) {
        if (d.isEmpty()) {
            w.nil();
            return;
        }
        w.beginList();
        w.string(d.get().type().toUpperCase(java.util.Locale.ROOT));
        params(w, d.get().params());
        w.endList();
    }

    private static void language(ImapResponseWriter w, List<String> language) {
        if (language.isEmpty()) {
            w.nil();
        } else if (language.size() == 1) {
            w.string(language.getFirst());
        } else {
            w.beginList();
            language.forEach(w::string);
            w.endList();
        }
    }
}
