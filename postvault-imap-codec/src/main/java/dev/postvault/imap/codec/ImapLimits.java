package dev.postvault.imap.codec;

/**
 * Explicit bounds applied by {@link ImapCommandReader}. Every limit is checked before the
 * corresponding memory is committed, so a hostile client cannot make the reader allocate more than
 * roughly {@code maxLineBytes + maxCommandLiteralBytes} per command.
 *
 * @param maxLineBytes            octets of the non-literal parts of one command, CRLFs excluded
 *                                (RFC 9051 §4 recommends accepting at least 8192)
 * @param maxLiteralBytes         largest literal accepted as APPEND message data (RFC 7889 APPENDLIMIT)
 * @param maxArgumentLiteralBytes largest literal accepted anywhere else (strings: names, passwords,
 *                                search text); RFC 7888 §4 suggests a lower limit than for APPEND
 * @param maxPreAuthLiteralBytes  largest literal accepted in the not-authenticated state
 * @param maxNonSyncLiteralBytes  largest non-synchronizing literal {@code {n+}} after authentication;
 *                                {@code >= maxLiteralBytes} is LITERAL+ (RFC 7888 §4: no size limit
 *                                beyond the literal limits themselves), 4096 is LITERAL- (§5). Before
 *                                authentication {@code maxPreAuthLiteralBytes} bounds every literal.
 * @param maxCommandLiteralBytes  sum of all literals of one command (MULTIAPPEND)
 * @param maxNestingDepth         parentheses, NOT and OR nesting in search programs
 * @param maxSequenceSetRanges    ranges (or single numbers) in one sequence set
 * @param maxListItems            items in any one parenthesised list or search program level
 * @param maxAppendMessages       messages in one MULTIAPPEND command (RFC 3502)
 */
public record ImapLimits(
        int maxLineBytes,
        long maxLiteralBytes,
        long maxArgumentLiteralBytes,
        long maxPreAuthLiteralBytes,
        long maxNonSyncLiteralBytes,
        long maxCommandLiteralBytes,
        int maxNestingDepth,
        int maxSequenceSetRanges,
        int maxListItems,
        int maxAppendMessages) {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    public ImapLimits {
        requirePositive(maxLineBytes, "maxLineBytes");
        requirePositive(maxLiteralBytes, "maxLiteralBytes");
        requirePositive(maxArgumentLiteralBytes, "maxArgumentLiteralBytes");
        requirePositive(maxPreAuthLiteralBytes, "maxPreAuthLiteralBytes");
        if (maxNonSyncLiteralBytes < 0) {
            throw new IllegalArgumentException("maxNonSyncLiteralBytes must not be negative");
        }
        requirePositive(maxCommandLiteralBytes, "maxCommandLiteralBytes");
        requirePositive(maxNestingDepth, "maxNestingDepth");
        requirePositive(maxSequenceSetRanges, "maxSequenceSetRanges");
        requirePositive(maxListItems, "maxListItems");
        requirePositive(maxAppendMessages, "maxAppendMessages");
        if (maxLiteralBytes > Integer.MAX_VALUE - 16 || maxArgumentLiteralBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("literals are held in memory: at most 2 GiB");
        }
    }

    /** RFC 7888 §5: the largest non-synchronizing literal a LITERAL- server must accept. */
    public static final long LITERAL_MINUS_BYTES = 4096;

    /**
     * 64 KiB lines, 64 MiB APPEND literals, 1 MiB other literals, 8 KiB before authentication,
     * LITERAL+ (non-synchronizing literals up to the APPEND limit; docs/rfc.md says why).
     */
    public static ImapLimits defaults() {
        return new ImapLimits(64 * KIB, 64L * MIB, MIB, 8 * KIB, 64L * MIB, 128L * MIB, 32, 10_000, 1_000, 100);
    }

    /**
     * True when any literal the limits allow may also be sent non-synchronizing, which is what
     * advertising LITERAL+ promises (RFC 7888 §4); otherwise the server is LITERAL- (§5).
     */
    public boolean literalPlus() {
        return maxNonSyncLiteralBytes >= maxLiteralBytes;
    }

    public ImapLimits withMaxLineBytes(int value) {
        return new ImapLimits(value, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxLiteralBytes(long value) {
        return new ImapLimits(maxLineBytes, value, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxArgumentLiteralBytes(long value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, value, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxPreAuthLiteralBytes(long value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, value,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxNonSyncLiteralBytes(long value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                value, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxCommandLiteralBytes(long value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, value, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxNestingDepth(int value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, value, maxSequenceSetRanges,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxSequenceSetRanges(int value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, value,
                maxListItems, maxAppendMessages);
    }

    public ImapLimits withMaxListItems(int value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                value, maxAppendMessages);
    }

    public ImapLimits withMaxAppendMessages(int value) {
        return new ImapLimits(maxLineBytes, maxLiteralBytes, maxArgumentLiteralBytes, maxPreAuthLiteralBytes,
                maxNonSyncLiteralBytes, maxCommandLiteralBytes, maxNestingDepth, maxSequenceSetRanges,
                maxListItems, value);
    }

    /** Largest literal the reader accepts for the given use in the given state. */
    long literalLimitBytes(ImapState state, boolean messageData) {
        long limit = messageData ? maxLiteralBytes : maxArgumentLiteralBytes;
        return state == ImapState.NOT_AUTHENTICATED ? Math.min(limit, maxPreAuthLiteralBytes) : limit;
    }

    /** Largest literal the reader will read and discard to resynchronise after an error. */
    long discardLimitBytes(ImapState state) {
        return state == ImapState.NOT_AUTHENTICATED ? Math.min(maxLiteralBytes, maxPreAuthLiteralBytes) : maxLiteralBytes;
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
