package dev.postvault.imap.codec;

/**
 * SEARCH RETURN options (RFC 9051 §9 search-return-opt, RFC 4731, RFC 5182 SAVE). A present but
 * empty RETURN () is normalised to {@link #ALL} (RFC 4731 §3.1).
 */
public enum SearchReturnOption {
    MIN, MAX, ALL, COUNT, SAVE
}
