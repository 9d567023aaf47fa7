package dev.postvault.store.mailbox;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** System flags plus keywords of one message. Keywords keep the case they were first set with. */
public record MessageFlags(Set<SystemFlag> system, SortedSet<String> keywords) {
    public static final MessageFlags NONE = new MessageFlags(EnumSet.noneOf(SystemFlag.class), new TreeSet<>());

    public MessageFlags {
        system = Collections.unmodifiableSet(system.isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(system));
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        keywords = Collections.unmodifiableSortedSet(k); // RFC 9051 §2.3.2: keywords are case-insensitive
    }

    public static MessageFlags of(SystemFlag... flags) {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        Collections.addAll(s, flags);
        return new MessageFlags(s, new TreeSet<>());
    }

    int bits() {
        int b = 0;
        for (SystemFlag f : system) b |= f.bit();
        return b;
    }

    static MessageFlags fromColumns(int bits, String keywords) {
        if (keywords.isEmpty() && bits >= 0 && bits < WITHOUT_KEYWORDS.length) return WITHOUT_KEYWORDS[bits];
        return build(bits, keywords);
    }

    private static MessageFlags build(int bits, String keywords) {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        for (SystemFlag f : SYSTEM) if ((bits & f.bit()) != 0) s.add(f);
        TreeSet<String> k = new TreeSet<>();
        if (!keywords.isEmpty()) Collections.addAll(k, keywords.split(" "));
        return new MessageFlags(s, k);
    }

    private static final SystemFlag[] SYSTEM = SystemFlag.values();

    /**
     * The flags of every combination of system flags without keywords, made once: most messages
     * have no keywords, and SELECT of a large folder made a set of each kind for every message
     * (a fifth of its work at 10,000 messages went to {@code SystemFlag.values()} alone).
     */
    private static final MessageFlags[] WITHOUT_KEYWORDS = new MessageFlags[1 << SYSTEM.length];

    static {
        for (int bits = 0; bits < WITHOUT_KEYWORDS.length; bits++) WITHOUT_KEYWORDS[bits] = build(bits, "");
    }

    String keywordColumn() {
        return String.join(" ", keywords);
    }
}
