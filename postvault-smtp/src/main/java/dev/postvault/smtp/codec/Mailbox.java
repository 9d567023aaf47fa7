package dev.postvault.smtp.codec;

import java.util.Locale;

/**
 * A mailbox from a MAIL or RCPT path (RFC 5321 §4.1.2), with source routes already dropped.
 *
 * <p>The local part is kept exactly as it was on the wire, quotes and backslashes included (it is
 * case-sensitive, RFC 5321 §2.4). The domain, or domain literal such as {@code [192.0.2.1]}, is
 * normalised to lower case. The domain is empty only for the bare {@code <Postmaster>} recipient
 * allowed by RFC 5321 §4.1.1.3.
 *
 * @param localPart Dot-string or Quoted-string as received
 * @param domain lower-case domain, address literal, or empty for the bare postmaster
 */
public record Mailbox(String localPart, String domain) {

    public Mailbox {
        if (localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** {@code local@domain} as parsed (domain lower-cased); just the local part for the bare postmaster. */
    public String address() {
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    /** True for {@code <Postmaster>} without a domain (RFC 5321 §4.1.1.3). */
    public boolean isBarePostmaster() {
        return domain.isEmpty();
    }

    /** False when the address carries non-ASCII characters, which need SMTPUTF8 (RFC 6531 §3.3). */
    public boolean isAscii() {
        return address().chars().allMatch(c -> c < 0x80);
    }

    /** This mailbox with another domain; used to qualify the bare postmaster with our host name. */
    public Mailbox withDomain(String newDomain) {
        return new Mailbox(localPart, newDomain);
    }

    @Override
    public String toString() {
        return "Mailbox[redacted]"; // privacy: addresses must not reach logs by accident
    }
}
