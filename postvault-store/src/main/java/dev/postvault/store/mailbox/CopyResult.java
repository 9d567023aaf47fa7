package dev.postvault.store.mailbox;

import java.util.List;

/** COPYUID data (RFC 4315 §3): the destination's UIDVALIDITY and matching source and new UIDs. */
public record CopyResult(long uidValidity, List<Long> sourceUids, List<Long> destinationUids) {}
