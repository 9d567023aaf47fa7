package dev.postvault.imap.codec;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declarative command table: wire name, the states a command is allowed in, and the RFC
 * section that defines it. {@link ImapCommandReader} looks commands up here and refuses a command
 * outside its allowed states before reading any of its literals; the parser for each entry is
 * chosen by an exhaustive switch, so an entry without a parser does not compile.
 *
 * <p>The table also says which commands pending EXPUNGE responses must wait for
 * ({@link #holdsExpunges()}), so the session applies RFC 9051 §7.5.1 without a list of its own.
 *
 * <p>Commands of the authenticated state are valid in the selected state too (RFC 9051 §6.4), except ENABLE (RFC 5161 §3.1).
 * UID commands are entries of their own, named with a space ("UID FETCH").
 */
public enum ImapCommandSpec {
    CAPABILITY("CAPABILITY", States.ANY, "RFC 9051 §6.1.1"),
    NOOP("NOOP", States.ANY, "RFC 9051 §6.1.2"),
    LOGOUT("LOGOUT", States.ANY, "RFC 9051 §6.1.3"),
    ID("ID", States.ANY, "RFC 2971 §3.1"),
    STARTTLS("STARTTLS", States.NOT_AUTHENTICATED, "RFC 9051 §6.2.1"),
    AUTHENTICATE("AUTHENTICATE", States.NOT_AUTHENTICATED, "RFC 9051 §6.2.2, RFC 4959"),
    LOGIN("LOGIN", States.NOT_AUTHENTICATED, "RFC 9051 §6.2.3"),
    ENABLE("ENABLE", States.AUTHENTICATED_ONLY, "RFC 9051 §6.3.1, RFC 5161"), // not once a mailbox is selected
    SELECT("SELECT", States.AUTHENTICATED, "RFC 9051 §6.3.2, RFC 7162 §3.1.8, §3.2.5"),
    EXAMINE("EXAMINE", States.AUTHENTICATED, "RFC 9051 §6.3.3, RFC 7162 §3.1.8, §3.2.5"),
    CREATE("CREATE", States.AUTHENTICATED, "RFC 9051 §6.3.4, RFC 6154 §3"),
    DELETE("DELETE", States.AUTHENTICATED, "RFC 9051 §6.3.5"),
    RENAME("RENAME", States.AUTHENTICATED, "RFC 9051 §6.3.6"),
    SUBSCRIBE("SUBSCRIBE", States.AUTHENTICATED, "RFC 9051 §6.3.7"),
    UNSUBSCRIBE("UNSUBSCRIBE", States.AUTHENTICATED, "RFC 9051 §6.3.8"),
    LIST("LIST", States.AUTHENTICATED, "RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154"),
    LSUB("LSUB", States.AUTHENTICATED, "RFC 3501 §6.3.9"),
    NAMESPACE("NAMESPACE", States.AUTHENTICATED, "RFC 9051 §6.3.10"),
    STATUS("STATUS", States.AUTHENTICATED, "RFC 9051 §6.3.11"),
    APPEND("APPEND", States.AUTHENTICATED, "RFC 9051 §6.3.12, RFC 3502, RFC 3516 §4.4, RFC 6855 §4"),
    IDLE("IDLE", States.AUTHENTICATED, "RFC 9051 §6.3.13"),
    GETQUOTA("GETQUOTA", States.AUTHENTICATED, "RFC 9208 §4.2.1"),
    GETQUOTAROOT("GETQUOTAROOT", States.AUTHENTICATED, "RFC 9208 §4.2.2"),
    SETQUOTA("SETQUOTA", States.AUTHENTICATED, "RFC 9208 §4.2.3"),
    COMPRESS("COMPRESS", States.AUTHENTICATED, "RFC 4978 §3"), // policy: no compression before authentication
    CHECK("CHECK", States.SELECTED, "RFC 3501 §6.4.1"),
    CLOSE("CLOSE", States.SELECTED, "RFC 9051 §6.4.1"),
    UNSELECT("UNSELECT", States.SELECTED, "RFC 9051 §6.4.2"),
    EXPUNGE("EXPUNGE", States.SELECTED, "RFC 9051 §6.4.3"),
    SEARCH("SEARCH", States.SELECTED, "RFC 9051 §6.4.4, RFC 4731, RFC 5182", Expunges.HELD),
    FETCH("FETCH", States.SELECTED, "RFC 9051 §6.4.5, RFC 7162 §3.1.4", Expunges.HELD),
    STORE("STORE", States.SELECTED, "RFC 9051 §6.4.6, RFC 7162 §3.1.3", Expunges.HELD),
    COPY("COPY", States.SELECTED, "RFC 9051 §6.4.7", Expunges.HELD),
    MOVE("MOVE", States.SELECTED, "RFC 9051 §6.4.8, RFC 6851", Expunges.HELD),
    SORT("SORT", States.SELECTED, "RFC 5256 §3, RFC 5957", Expunges.HELD),
    THREAD("THREAD", States.SELECTED, "RFC 5256 §3", Expunges.HELD),
    UID_COPY("UID COPY", States.SELECTED, "RFC 9051 §6.4.9", Expunges.HELD),
    UID_MOVE("UID MOVE", States.SELECTED, "RFC 9051 §6.4.9, RFC 6851", Expunges.HELD),
    UID_FETCH("UID FETCH", States.SELECTED, "RFC 9051 §6.4.9", Expunges.HELD),
    UID_STORE("UID STORE", States.SELECTED, "RFC 9051 §6.4.9", Expunges.HELD),
    UID_SEARCH("UID SEARCH", States.SELECTED, "RFC 9051 §6.4.9", Expunges.HELD),
    UID_SORT("UID SORT", States.SELECTED, "RFC 5256 §3", Expunges.HELD),
    UID_THREAD("UID THREAD", States.SELECTED, "RFC 5256 §3", Expunges.HELD),
    UID_EXPUNGE("UID EXPUNGE", States.SELECTED, "RFC 9051 §6.4.9, RFC 4315 §2.1");

    private static final Map<String, ImapCommandSpec> BY_NAME = new HashMap<>();

    static {
        for (ImapCommandSpec spec : values()) {
            BY_NAME.put(spec.commandName, spec);
        }
    }

    private final String commandName;
    private final Set<ImapState> allowedStates;
    private final String rfcSection;
    private final boolean holdsExpunges;

    ImapCommandSpec(String commandName, Set<ImapState> allowedStates, String rfcSection) {
        this(commandName, allowedStates, rfcSection, false);
    }

    ImapCommandSpec(String commandName, Set<ImapState> allowedStates, String rfcSection, boolean holdsExpunges) {
        this.commandName = commandName;
        this.allowedStates = allowedStates;
        this.rfcSection = rfcSection;
        this.holdsExpunges = holdsExpunges;
    }

    /**
     * Whether pending EXPUNGE responses must wait until after this command (only EXISTS and FETCH
     * FLAGS may precede it). RFC 9051 §7.5.1 forbids EXPUNGE while answering FETCH, STORE and SEARCH;
     * the server holds them for every command that names messages by sequence number or answers with
     * them (COPY, MOVE, SORT, THREAD) and for their UID forms too, so a client's numbering never
     * shifts under a command it has already sent.
     */
    public boolean holdsExpunges() {
        return holdsExpunges;
    }

    /** The wire name, upper case; UID commands contain one space ("UID FETCH"). */
    public String commandName() {
        return commandName;
    }

    /** The states in which the command may be issued (unmodifiable). */
    public Set<ImapState> allowedStates() {
        return allowedStates;
    }

    /** The RFC section(s) defining the command, for logs and documentation. */
    public String rfcSection() {
        return rfcSection;
    }

    public boolean allowedIn(ImapState state) {
        return allowedStates.contains(state);
    }

    /** True for the UID variants (UID FETCH, UID SEARCH, ...). */
    public boolean isUid() {
        return commandName.startsWith("UID ");
    }

    /** Case-insensitive lookup by wire name; UID commands are looked up as "UID FETCH". */
    public static Optional<ImapCommandSpec> lookup(String commandName) {
        return Optional.ofNullable(BY_NAME.get(commandName.toUpperCase(Locale.ROOT)));
    }

    private static final class Expunges {
        /** See {@link #holdsExpunges()}. */
        static final boolean HELD = true;
    }

    private static final class States {
        static final Set<ImapState> ANY = Collections.unmodifiableSet(
                EnumSet.of(ImapState.NOT_AUTHENTICATED, ImapState.AUTHENTICATED, ImapState.SELECTED));
        static final Set<ImapState> NOT_AUTHENTICATED = Collections.unmodifiableSet(
                EnumSet.of(ImapState.NOT_AUTHENTICATED));
        static final Set<ImapState> AUTHENTICATED = Collections.unmodifiableSet(
                EnumSet.of(ImapState.AUTHENTICATED, ImapState.SELECTED));
        static final Set<ImapState> AUTHENTICATED_ONLY = Collections.unmodifiableSet(EnumSet.of(ImapState.AUTHENTICATED));
        static final Set<ImapState> SELECTED = Collections.unmodifiableSet(EnumSet.of(ImapState.SELECTED));
    }
}
