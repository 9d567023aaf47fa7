package dev.postvault.imap.codec;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of an APPEND command (RFC 3502 append-message; RFC 4466 append-opts).
 *
 * @param flags        flags to set, system flags in canonical case ("\Seen"); may be empty
 * @param internalDate the date-time argument, if given
 * @param content      the message octets
 * @param binary       sent as literal8 {@code ~{n}} (RFC 3516 §4.4): may contain NUL
 * @param utf8         sent as {@code UTF8 (~{n})} (RFC 6855 §4): a message/global message
 */
public record AppendMessage(
        List<String> flags,
        Optional<OffsetDateTime> internalDate,
        Octets content,
        boolean binary,
        boolean utf8) {

    public AppendMessage {
        flags = List.copyOf(flags);
        Objects.requireNonNull(internalDate);
        Objects.requireNonNull(content);
    }
}
