package dev.postvault.imap.codec;

import java.util.Objects;

/**
 * A synchronizing literal the client announced and waits to send.
 *
 * @param tag       tag of the command being read
 * @param command   the command being read
 * @param sizeBytes announced size; already within the reader's limits
 * @param binary    a literal8 {@code ~{n}} (RFC 3516)
 */
public record LiteralRequest(String tag, ImapCommandSpec command, long sizeBytes, boolean binary) {
    public LiteralRequest {
        Objects.requireNonNull(tag);
        Objects.requireNonNull(command);
    }
}
