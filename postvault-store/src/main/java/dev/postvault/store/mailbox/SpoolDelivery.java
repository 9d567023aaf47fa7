package dev.postvault.store.mailbox;

import java.time.Instant;

/** A message drained from the spool, identified by its spool id so delivery is idempotent. */
public record SpoolDelivery(String spoolId, byte[] raw, Instant receivedAt) {}
