/**
 * IMAP wire codec: reads client commands from a blocking {@link java.io.InputStream} into sealed,
 * immutable command records, and writes server responses. It imports no store and keeps no
 * session state beyond what the wire needs (UTF-8 mode, limits), so it can be fuzzed and reused
 * by a test client.
 *
 * <p>Entry points: {@link dev.postvault.imap.codec.ImapCommandReader} (parse completely, then
 * execute: handlers receive {@link dev.postvault.imap.codec.ImapCommand} records, never tokens),
 * {@link dev.postvault.imap.codec.ImapCommandSpec} (the one declarative command table),
 * {@link dev.postvault.imap.codec.ImapResponseWriter} and
 * {@link dev.postvault.imap.codec.MailboxNames}.
 *
 * <p>Grammar: RFC 9051 (IMAP4rev2) and RFC 3501 (IMAP4rev1) §9, extended by RFC 2971 (ID),
 * RFC 3502 (MULTIAPPEND), RFC 3516 (BINARY), RFC 4466 (collected ABNF), RFC 4731 and RFC 5182
 * (ESEARCH, SEARCHRES), RFC 4959 (SASL-IR), RFC 4978 (COMPRESS), RFC 5032 (WITHIN), RFC 5161
 * (ENABLE), RFC 5256 and RFC 5957 (SORT, THREAD, SORT=DISPLAY), RFC 5258 and RFC 5819
 * (LIST-EXTENDED, LIST-STATUS), RFC 6154 (SPECIAL-USE), RFC 6851 (MOVE), RFC 6855 (UTF8=ACCEPT),
 * RFC 7162 (CONDSTORE, QRESYNC), RFC 7888 (LITERAL+, LITERAL-), RFC 7889 (APPENDLIMIT),
 * RFC 8474 (OBJECTID), RFC 8514 (SAVEDATE) and RFC 9208 (QUOTA).
 */
package dev.postvault.imap.codec;
