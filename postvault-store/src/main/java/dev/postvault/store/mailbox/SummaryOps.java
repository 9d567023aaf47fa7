package dev.postvault.store.mailbox;

import dev.postvault.mime.Envelope;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageStructureCodec;
import dev.postvault.mime.SearchFields;
import dev.postvault.mime.SortKeys;
import dev.postvault.mime.ThreadKeys;
import dev.postvault.store.Sqlite;
import dev.postvault.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cache of what clients ask for in bulk (SQL behind {@link MailboxReader}, Schema v8):
 * {@code summaries} (header, envelope, structure), {@code message_keys} (sort keys, search texts of
 * the common header fields, thread keys) and {@code texts} (what TEXT and BODY compare). Written with
 * the content ({@link ContentOps#insert}) or by the indexer, removed with it.
 */
final class SummaryOps {
    private SummaryOps() {}

    static final String INSERT_SUMMARY = "INSERT INTO summaries(content_id, header, envelope, structure) VALUES (?, ?, ?, ?)";
    static final String INSERT_KEYS = """
            INSERT INTO message_keys(content_id, sent_at, sent_day, subject_key, from_key, to_key, cc_key, display_from_key, display_to_key,
                                     subject_text, from_text, to_text, cc_text, bcc_text, message_id_text, message_id, thread_refs, reply)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Headers up to this size are stored as they are, larger ones deflated. A first sync reads the
     * header of every message (HEADER.FIELDS); inflating them was 30% of that fetch's CPU at 10,000
     * messages, to save some 440 bytes a message (755 bytes on average in the gen-mbox corpus, 314
     * deflated with the dictionary), about 1% of the mailbox file.
     */
    static final int HEADER_STORED_MAX = 4096;

    /**
     * A content's rows of {@code summaries} and {@code message_keys}, through prepared
     * {@link #INSERT_SUMMARY} and {@link #INSERT_KEYS}: the header and the envelope stored as is (a
     * header over {@link #HEADER_STORED_MAX} deflated), then the sort keys, search texts and thread keys derived from them.
     */
    static void insert(PreparedStatement summary, PreparedStatement keys, long contentId, byte[] header,
                              Envelope envelope, byte[] packedStructure) throws SQLException {
        byte[] packedHeader = header.length <= HEADER_STORED_MAX ? Packing.stored(header) : Packing.pack(header);
        Sqlite.bind(summary, contentId, packedHeader, Packing.stored(MessageStructureCodec.encodeEnvelope(envelope)), packedStructure);
        summary.executeUpdate();
        SortKeys k = SortKeys.of(envelope);
        List<Object> row = new ArrayList<>();
        row.add(contentId);
        row.add(k.sentAt().map(Instant::getEpochSecond).orElse(null));
        row.add(k.sentDay().map(LocalDate::toEpochDay).orElse(null));
        row.addAll(List.of(k.subject(), k.from(), k.to(), k.cc(), k.displayFrom(), k.displayTo()));
        for (String field : SearchFields.STORED) row.add(SearchFields.text(header, envelope, field).orElse(null));
        ThreadKeys t = ThreadKeys.of(header, envelope);
        row.addAll(List.of(t.messageId(), String.join("\0", t.references()), t.reply() ? 1 : 0));
        Sqlite.bind(keys, row.toArray());
        keys.executeUpdate();
    }

    /**
     * Reads of {@code message_keys}: {@code columns} after the content id, for every message of a
     * folder ({@link #inFolder}) or for one content ({@link #ofContent}).
     */
    static String inFolder(String columns) {
        return "SELECT s.content_id, " + columns + " FROM messages m JOIN message_keys s ON s.content_id = m.content_id WHERE m.folder_id = ?";
    }

    static String ofContent(String columns) {
        return "SELECT s.content_id, " + columns + " FROM message_keys s WHERE s.content_id = ?";
    }

    /** The column of a {@link SearchFields#STORED} field's search text: {@code s.subject_text}, ..., {@code s.message_id_text}. */
    static String searchFieldColumn(String field) {
        if (!SearchFields.STORED.contains(field)) throw new IllegalArgumentException("not a stored search field: " + field);
        return "s." + field.replace('-', '_') + "_text";
    }

    /**
     * The columns of the sort keys {@code fields}, in {@link SortKeys.Field} order. Each column read
     * costs a call into SQLite per message, and a SORT asks for one or two keys of the seven: reading
     * only those made SORT (SUBJECT) over 10,000 messages read its keys in 10 ms instead of 30.
     */
    static String sortKeyColumns(java.util.Set<SortKeys.Field> fields) {
        java.util.StringJoiner columns = new java.util.StringJoiner(", ");
        for (SortKeys.Field f : SortKeys.Field.values()) {
            if (!fields.contains(f)) continue;
            columns.add(switch (f) {
                case SENT -> "s.sent_at, s.sent_day";
                case SUBJECT -> "s.subject_key";
                case FROM -> "s.from_key";
                case TO -> "s.to_key";
                case CC -> "s.cc_key";
                case DISPLAY_FROM -> "s.display_from_key";
                case DISPLAY_TO -> "s.display_to_key";
            });
        }
        return columns.toString();
    }

    /** The keys of a row of {@link #sortKeyColumns}; those not in {@code fields} are empty. */
    static SortKeys sortKeys(ResultSet rs, java.util.Set<SortKeys.Field> fields) throws SQLException {
        int col = 2;
        Optional<Instant> sentAt = Optional.empty();
        Optional<LocalDate> sentDay = Optional.empty();
        if (fields.contains(SortKeys.Field.SENT)) {
            long at = rs.getLong(col++);
            if (!rs.wasNull()) sentAt = Optional.of(Instant.ofEpochSecond(at));
            long day = rs.getLong(col++);
            if (!rs.wasNull()) sentDay = Optional.of(LocalDate.ofEpochDay(day));
        }
        String[] keys = new String[SortKeys.Field.values().length];
        for (SortKeys.Field f : SortKeys.Field.values()) {
            if (f != SortKeys.Field.SENT) keys[f.ordinal()] = fields.contains(f) ? rs.getString(col++) : "";
        }
        return new SortKeys(sentAt, sentDay, keys[SortKeys.Field.SUBJECT.ordinal()], keys[SortKeys.Field.FROM.ordinal()],
                keys[SortKeys.Field.TO.ordinal()], keys[SortKeys.Field.CC.ordinal()], keys[SortKeys.Field.DISPLAY_FROM.ordinal()],
                keys[SortKeys.Field.DISPLAY_TO.ordinal()]);
    }

    static final String SENT_DAY_COLUMNS = "s.sent_day";

    static Optional<LocalDate> sentDay(ResultSet rs) throws SQLException {
        long day = rs.getLong(2);
        return rs.wasNull() ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(day));
    }

    /** What THREAD=REFERENCES links by; {@link #threadKeys} reads a row. */
    static final String THREAD_KEY_COLUMNS = "s.message_id, s.thread_refs, s.reply";

    static ThreadKeys threadKeys(ResultSet rs) throws SQLException {
        String refs = rs.getString(3);
        return new ThreadKeys(rs.getString(2), refs.isEmpty() ? List.of() : List.of(refs.split("\0", -1)), rs.getInt(4) != 0);
    }

    static final String STRUCTURE = "SELECT structure FROM summaries WHERE content_id = ?";
    static final String HEADER = "SELECT header FROM summaries WHERE content_id = ?";
    static final String ENVELOPE = "SELECT envelope FROM summaries WHERE content_id = ?";
    static final String TEXTS = "SELECT header_text, body_text FROM texts WHERE content_id = ?";

    static MessageStructure structure(Connection c, long contentId) throws SQLException {
        try (var ps = c.prepareStatement(STRUCTURE)) {
            return structure(ps, contentId);
        }
    }

    /** The cached MIME structure, through a prepared {@link #STRUCTURE}. */
    static MessageStructure structure(PreparedStatement ps, long contentId) throws SQLException {
        try (var unpacker = new Packing.Unpacker()) {
            return structure(ps, contentId, unpacker);
        }
    }

    static MessageStructure structure(PreparedStatement ps, long contentId, Packing.Unpacker unpacker) throws SQLException {
        ps.setLong(1, contentId);
        try (var rs = ps.executeQuery()) {
            if (!rs.next()) throw StoreException.notFound("no such message");
            return MessageStructureCodec.decode(unpacker.unpack(rs.getBytes(1)));
        }
    }

    /** The cached envelope, through a prepared {@link #ENVELOPE}. */
    static Envelope envelope(PreparedStatement ps, long contentId, Packing.Unpacker unpacker) throws SQLException {
        ps.setLong(1, contentId);
        try (var rs = ps.executeQuery()) {
            if (!rs.next()) throw StoreException.notFound("no such message");
            return MessageStructureCodec.decodeEnvelope(unpacker.unpack(rs.getBytes(1)));
        }
    }

    /** The top-level header as it arrived, through the blank line, through a prepared {@link #HEADER}. */
    static byte[] header(PreparedStatement ps, long contentId, Packing.Unpacker unpacker) throws SQLException {
        ps.setLong(1, contentId);
        try (var rs = ps.executeQuery()) {
            if (!rs.next()) throw StoreException.notFound("no such message");
            return unpacker.unpack(rs.getBytes(1));
        }
    }

    /** The stored search texts, through a prepared {@link #TEXTS}; empty until the indexer has run. */
    static Optional<SearchTexts> texts(PreparedStatement ps, long contentId, Packing.Unpacker unpacker) throws SQLException {
        ps.setLong(1, contentId);
        try (var rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new SearchTexts(rs.getBytes(1), rs.getBytes(2), unpacker));
        }
    }
}
