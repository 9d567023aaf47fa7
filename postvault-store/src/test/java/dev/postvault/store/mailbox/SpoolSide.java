package dev.postvault.store.mailbox;

import java.util.List;

/** For spool tests in other packages: the drain's own delivery step, to stage a crash window. */
public final class SpoolSide {
    private SpoolSide() {}

    /** Commits {@code items} into INBOX with their receipts, as a drain does before removing its files. */
    public static void deliver(Mailbox m, List<SpoolDelivery> items) {
        m.deliver(items);
    }
}
