package dev.postvault.imap.codec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A fully parsed client command. Every string is decoded: mailbox names from modified UTF-7 (or
 * UTF-8 after UTF8=ACCEPT) with INBOX in upper case, search strings with their CHARSET. Every
 * collection is unmodifiable. The RFC section of each command is in {@link ImapCommandSpec}.
 */
public sealed interface ImapCommand {

    record Capability() implements ImapCommand {
    }

    record Noop() implements ImapCommand {
    }

    record Logout() implements ImapCommand {
    }

    record StartTls() implements ImapCommand {
    }

    /**
     * AUTHENTICATE mechanism [initial-response] (RFC 9051 §6.2.2, RFC 4959).
     *
     * @param mechanism       SASL mechanism name, upper case
     * @param initialResponse base64-decoded initial response; "=" gives an empty one
     */
    record Authenticate(String mechanism, Optional<Octets> initialResponse) implements ImapCommand {
        public Authenticate {
            Objects.requireNonNull(mechanism);
            Objects.requireNonNull(initialResponse);
        }
    }

    record Login(String userName, String password) implements ImapCommand {
        public Login {
            Objects.requireNonNull(userName);
            Objects.requireNonNull(password);
        }

        @Override
        public String toString() {
            return "Login[userName=" + userName + ", password=<redacted>]";
        }
    }

    /** ENABLE capabilities (RFC 5161); names upper case. */
    record Enable(List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** ID (RFC 2971): field/value pairs in client order; NIL gives an empty list. */
    record Id(List<Field> fields) implements ImapCommand {
        public record Field(String name, Optional<String> value) {
        }

        public Id {
            fields = List.copyOf(fields);
        }
    }

    record Select(String mailbox, SelectParameters parameters) implements ImapCommand {
        public Select {
            Objects.requireNonNull(mailbox);
            Objects.requireNonNull(parameters);
        }
    }

    record Examine(String mailbox, SelectParameters parameters) implements ImapCommand {
        public Examine {
            Objects.requireNonNull(mailbox);
            Objects.requireNonNull(parameters);
        }
    }

    /** CREATE mailbox [(USE (attrs))]; {@code specialUse} as sent, e.g. "\Drafts" (RFC 6154 §3). */
    record Create(String mailbox, List<String> specialUse) implements ImapCommand {
        public Create {
            Objects.requireNonNull(mailbox);
            specialUse = List.copyOf(specialUse);
        }
    }

    record Delete(String mailbox) implements ImapCommand {
        public Delete {
            Objects.requireNonNull(mailbox);
        }
    }

    record Rename(String mailbox, String newName) implements ImapCommand {
        public Rename {
            Objects.requireNonNull(mailbox);
            Objects.requireNonNull(newName);
        }
    }

    record Subscribe(String mailbox) implements ImapCommand {
        public Subscribe {
            Objects.requireNonNull(mailbox);
        }
    }

    record Unsubscribe(String mailbox) implements ImapCommand {
        public Unsubscribe {
            Objects.requireNonNull(mailbox);
        }
    }

    /**
     * LIST (RFC 9051 §6.3.9, RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS, RFC 6154).
     *
     * @param reference     the reference name, decoded
     * @param patterns      one or more mailbox patterns with wildcards, decoded
     * @param selectOptions selection options; empty when none were given
     * @param returnOptions return options; empty when none were given
     * @param statusItems   the items of RETURN (STATUS (...)); empty unless
     *                      {@code returnOptions} contains {@link ListReturnOption#STATUS}
     * @param extended      the extended syntax was used (selection options, several patterns in
     *                      parentheses or RETURN), so extended response data may be sent
     */
    record ListMailboxes(String reference, List<String> patterns, Set<ListSelectOption> selectOptions,
                         Set<ListReturnOption> returnOptions, List<StatusItem> statusItems,
                         boolean extended) implements ImapCommand {
        public ListMailboxes {
            Objects.requireNonNull(reference);
            patterns = List.copyOf(patterns);
            selectOptions = Set.copyOf(selectOptions);
            returnOptions = Set.copyOf(returnOptions);
            statusItems = List.copyOf(statusItems);
        }
    }

    /** LSUB reference pattern (RFC 3501 §6.3.9). */
    record Lsub(String reference, String pattern) implements ImapCommand {
        public Lsub {
            Objects.requireNonNull(reference);
            Objects.requireNonNull(pattern);
        }
    }

    record Namespace() implements ImapCommand {
    }

    record Status(String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            Objects.requireNonNull(mailbox);
            items = List.copyOf(items);
        }
    }

    /** APPEND; more than one message is MULTIAPPEND (RFC 3502). */
    record Append(String mailbox, List<AppendMessage> messages) implements ImapCommand {
        public Append {
            Objects.requireNonNull(mailbox);
            messages = List.copyOf(messages);
        }
    }

    /** IDLE: answer "+ idling", then call {@link ImapCommandReader#readIdleDone()}. */
    record Idle() implements ImapCommand {
    }

    /** GETQUOTA quota-root (RFC 9208). */
    record GetQuota(String quotaRoot) implements ImapCommand {
        public GetQuota {
            Objects.requireNonNull(quotaRoot);
        }
    }

    /** GETQUOTAROOT mailbox (RFC 9208). */
    record GetQuotaRoot(String mailbox) implements ImapCommand {
        public GetQuotaRoot {
            Objects.requireNonNull(mailbox);
        }
    }

    /** SETQUOTA quota-root (resource limit ...) (RFC 9208); resource names upper case. */
    record SetQuota(String quotaRoot, List<Limit> limits) implements ImapCommand {
        public record Limit(String resource, long limit) {
        }

        public SetQuota {
            Objects.requireNonNull(quotaRoot);
            limits = List.copyOf(limits);
        }
    }

    /** COMPRESS mechanism (RFC 4978); mechanism upper case ("DEFLATE"). */
    record Compress(String mechanism) implements ImapCommand {
        public Compress {
            Objects.requireNonNull(mechanism);
        }
    }

    record Check() implements ImapCommand {
    }

    record Close() implements ImapCommand {
    }

    record Unselect() implements ImapCommand {
    }

    record Expunge() implements ImapCommand {
    }

    /** UID EXPUNGE uid-set (RFC 4315, RFC 9051 §6.4.9). */
    record UidExpunge(SequenceSet uids) implements ImapCommand {
        public UidExpunge {
            Objects.requireNonNull(uids);
        }
    }

    /**
     * SEARCH / UID SEARCH.
     *
     * @param uid           UID SEARCH
     * @param charset       the CHARSET argument as sent (strings are already decoded with it)
     * @param returnOptions present when RETURN (...) was given (ESEARCH, RFC 4731); RETURN () gives {ALL}
     * @param key           the search program; several top-level keys form an {@link SearchKey.And}
     */
    record Search(boolean uid, Optional<String> charset, Optional<Set<SearchReturnOption>> returnOptions,
                  SearchKey key) implements ImapCommand {
        public Search {
            Objects.requireNonNull(charset);
            returnOptions = returnOptions.map(Set::copyOf);
            Objects.requireNonNull(key);
        }
    }

    /** SORT / UID SORT (RFC 5256; RETURN per RFC 5267 ESORT). */
    record Sort(boolean uid, List<SortCriterion> criteria, String charset,
                Optional<Set<SearchReturnOption>> returnOptions, SearchKey key) implements ImapCommand {
        public Sort {
            criteria = List.copyOf(criteria);
            Objects.requireNonNull(charset);
            returnOptions = returnOptions.map(Set::copyOf);
            Objects.requireNonNull(key);
        }
    }

    /** THREAD / UID THREAD (RFC 5256); algorithm upper case ("REFERENCES", "ORDEREDSUBJECT"). */
    record ThreadMessages(boolean uid, String algorithm, String charset, SearchKey key) implements ImapCommand {
        public ThreadMessages {
            Objects.requireNonNull(algorithm);
            Objects.requireNonNull(charset);
            Objects.requireNonNull(key);
        }
    }

    /**
     * FETCH / UID FETCH.
     *
     * @param items        the items in client order, macros expanded; UID FETCH does not add UID
     * @param changedSince CHANGEDSINCE modifier (RFC 7162 §3.1.4.1)
     * @param vanished     VANISHED modifier (RFC 7162 §3.2.6; UID FETCH with CHANGEDSINCE only)
     */
    record Fetch(boolean uid, SequenceSet sequenceSet, List<FetchItem> items, OptionalLong changedSince,
                 boolean vanished) implements ImapCommand {
        public Fetch {
            Objects.requireNonNull(sequenceSet);
            items = List.copyOf(items);
            Objects.requireNonNull(changedSince);
        }
    }

    /**
     * STORE / UID STORE.
     *
     * @param unchangedSince UNCHANGEDSINCE modifier (RFC 7162 §3.1.3)
     * @param action         FLAGS, +FLAGS or -FLAGS
     * @param silent         .SILENT was given
     * @param flags          system flags in canonical case, keywords as sent; may be empty
     */
    record Store(boolean uid, SequenceSet sequenceSet, OptionalLong unchangedSince, Action action,
                 boolean silent, List<String> flags) implements ImapCommand {
        public enum Action {
            /** FLAGS. */
            REPLACE,
            /** +FLAGS. */
            ADD,
            /** -FLAGS. */
            REMOVE
        }

        public Store {
            Objects.requireNonNull(sequenceSet);
            Objects.requireNonNull(unchangedSince);
            Objects.requireNonNull(action);
            flags = List.copyOf(flags);
        }
    }

    record Copy(boolean uid, SequenceSet sequenceSet, String mailbox) implements ImapCommand {
        public Copy {
            Objects.requireNonNull(sequenceSet);
            Objects.requireNonNull(mailbox);
        }
    }

    /** MOVE / UID MOVE (RFC 6851). */
    record Move(boolean uid, SequenceSet sequenceSet, String mailbox) implements ImapCommand {
        public Move {
            Objects.requireNonNull(sequenceSet);
            Objects.requireNonNull(mailbox);
        }
    }
}
