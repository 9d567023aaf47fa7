/**
 * Renders stored messages as IMAP data: ENVELOPE and BODYSTRUCTURE from the cached MIME structure
 * (RFC 3501 §7.4.2, RFC 9051 §7.5.2), and BODY[section]&lt;partial&gt; byte ranges (RFC 9051 §6.4.5) cut
 * from the raw message by the structure's offsets, so nothing is re-parsed per FETCH.
 */
package dev.postvault.imap.render;
