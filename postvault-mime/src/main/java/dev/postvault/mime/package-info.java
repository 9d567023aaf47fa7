/**
 * MIME structure of stored messages: a byte-offset MIME tree, the IMAP envelope, text extraction for
 * the search index, transfer decoding, and exact base64 re-encoding for attachment de-duplication.
 *
 * <ul>
 *   <li>{@link dev.postvault.mime.MimeParser} splits raw bytes into {@link dev.postvault.mime.MimePart}s
 *       with absolute offsets, so IMAP can serve {@code BODY[section]} as a slice of the stored bytes.
 *       It is a total function over all inputs. We use our own structural splitter (RFC 5322 §2.1,
 *       RFC 2046 §5.1) because mime4j does not expose the byte offsets of parts; everything inside a
 *       field is interpreted by mime4j: Content-Type and Content-Disposition parameters with RFC 2231
 *       continuations and charsets, address lists, encoded-words (RFC 2047, {@code DecoderUtil}) and
 *       dates.</li>
 *   <li>{@link dev.postvault.mime.MessageStructure#part(int...)} resolves IMAP part numbers
 *       (RFC 3501 §6.4.5, RFC 9051 §6.4.5); {@link dev.postvault.mime.Envelope} and
 *       {@link dev.postvault.mime.EnvelopeAddress} carry ENVELOPE (RFC 3501 §7.4.2) with raw values, plus
 *       decoded convenience values.</li>
 *   <li>{@link dev.postvault.mime.MessageStructureCodec} caches a structure as compact versioned bytes.</li>
 *   <li>{@link dev.postvault.mime.MessageText} and {@link dev.postvault.mime.TransferEncoding} decode
 *       content (RFC 2045 §6.7 quoted-printable, §6.8 base64; RFC 2046 §4.1.2 charsets).</li>
 *   <li>{@link dev.postvault.mime.Base64Layout} records how a base64 body was wrapped so the exact
 *       original bytes can be rebuilt from the decoded content.</li>
 * </ul>
 *
 * <p>RFCs: 2045, 2046, 2047, 2183, 2231, 3282, 3501, 4648, 5322 (including §4 obsolete syntax), 6532,
 * 9051. Header bytes are read as UTF-8 when valid (RFC 6532), otherwise as ISO-8859-1.
 *
 * <p>No nulls cross the public API; every type is an immutable record or a stateless utility and safe
 * to share between threads. Nothing here does I/O or logs.
 */
package dev.postvault.mime;
