package dev.postvault.store.mailbox;

import java.util.List;

/** What a STORE did: UIDs whose flags changed, and UIDs skipped by UNCHANGEDSINCE (RFC 7162 [MODIFIED]). */
public record FlagUpdate(List<Long> changed, List<Long> modified) {}
