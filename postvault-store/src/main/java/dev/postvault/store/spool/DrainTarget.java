package dev.postvault.store.spool;

import dev.postvault.crypto.HybridKem;
import dev.postvault.store.DiskSpace;
import dev.postvault.store.mailbox.SpoolDelivery;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * What a drain needs of the mailbox it fills: the operations only the spool uses. A
 * {@link dev.postvault.store.mailbox.Mailbox} hands one to {@link Spool#drain(DrainTarget)} itself,
 * so protocol sessions, which hold a mailbox but no spool, cannot deliver, receipt or forget.
 */
public interface DrainTarget {
    String aliasId();

    /** Held while draining, so two drains of one alias do not unseal the same records. */
    Lock drainLock();

    /** The alias's keypair, to unseal with. */
    HybridKem.KeyPairs aliasKeys();

    /** Which of these spool ids are already in the mailbox (found again after a crash). */
    Set<String> receipted(List<String> spoolIds);

    /** Delivers into INBOX in one durable transaction, each item receipted by its spool id. */
    void deliver(List<SpoolDelivery> items);

    /** Forgets receipts whose records are gone from the spool for good. */
    void forgetReceipts(List<String> spoolIds);

    DiskSpace disk();
}
