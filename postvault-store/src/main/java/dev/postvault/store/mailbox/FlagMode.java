package dev.postvault.store.mailbox;

import java.util.EnumSet;
import java.util.TreeSet;

/** How STORE combines flags (RFC 9051 §6.4.6: FLAGS, +FLAGS, -FLAGS). */
public enum FlagMode {
    REPLACE,
    ADD,
    REMOVE;

    MessageFlags apply(MessageFlags old, MessageFlags given) {
        return switch (this) {
            case REPLACE -> given;
            case ADD -> {
                EnumSet<SystemFlag> s = old.system().isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(old.system());
                s.addAll(given.system());
                TreeSet<String> k = caseless(old.keywords());
                k.addAll(given.keywords());
                yield new MessageFlags(s, k);
            }
            case REMOVE -> {
                EnumSet<SystemFlag> s = old.system().isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(old.system());
                s.removeAll(given.system());
                TreeSet<String> k = caseless(old.keywords());
                k.removeAll(given.keywords());
                yield new MessageFlags(s, k);
            }
        };
    }

    private static TreeSet<String> caseless(java.util.Set<String> keywords) {
        TreeSet<String> t = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        t.addAll(keywords);
        return t;
    }
}
