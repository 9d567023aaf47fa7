package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Dispatch from the command table to the parser of each command (an exhaustive switch, so every
 * table entry has a parser), and the parsers of the session-level commands. The cursor stands
 * right after the command name; the caller checks the end of the command.
 */
final class CommandParsers {

    private CommandParsers() {
    }

    static ImapCommand parse(ImapCommandSpec spec, CommandCursor c) {
        return switch (spec) {
            case CAPABILITY -> new ImapCommand.Capability();
            case NOOP -> new ImapCommand.Noop();
            case LOGOUT -> new ImapCommand.Logout();
            case ID -> id(c);
            case STARTTLS -> new ImapCommand.StartTls();
            case AUTHENTICATE -> authenticate(c);
            case LOGIN -> login(c);
            case ENABLE -> enable(c);
            case SELECT -> MailboxParsers.select(c, false);
            case EXAMINE -> MailboxParsers.select(c, true);
            case CREATE -> MailboxParsers.create(c);
            case DELETE -> new ImapCommand.Delete(mailboxArgument(c));
            case RENAME -> MailboxParsers.rename(c);
            case SUBSCRIBE -> new ImapCommand.Subscribe(mailboxArgument(c));
            case UNSUBSCRIBE -> new ImapCommand.Unsubscribe(mailboxArgument(c));
            case LIST -> ListParser.list(c);
            case LSUB -> ListParser.lsub(c);
            case NAMESPACE -> new ImapCommand.Namespace();
            case STATUS -> MailboxParsers.status(c);
            case APPEND -> MailboxParsers.append(c);
            case IDLE -> new ImapCommand.Idle();
            case GETQUOTA -> new ImapCommand.GetQuota(quotaRoot(c));
            case GETQUOTAROOT -> new ImapCommand.GetQuotaRoot(mailboxArgument(c));
            case SETQUOTA -> setQuota(c);
            case COMPRESS -> compress(c);
            case CHECK -> new ImapCommand.Check();
            case CLOSE -> new ImapCommand.Close();
            case UNSELECT -> new ImapCommand.Unselect();
            case EXPUNGE -> new ImapCommand.Expunge();
            case SEARCH -> SearchParser.search(c, false);
            case FETCH -> FetchParser.fetch(c, false);
            case STORE -> MessageParsers.store(c, false);
            case COPY -> MessageParsers.copy(c, false);
            case MOVE -> MessageParsers.move(c, false);
            case SORT -> SearchParser.sort(c, false);
            case THREAD -> SearchParser.thread(c, false);
            case UID_COPY -> MessageParsers.copy(c, true);
            case UID_MOVE -> MessageParsers.move(c, true);
            case UID_FETCH -> FetchParser.fetch(c, true);
            case UID_STORE -> MessageParsers.store(c, true);
            case UID_SEARCH -> SearchParser.search(c, true);
            case UID_SORT -> SearchParser.sort(c, true);
            case UID_THREAD -> SearchParser.thread(c, true);
            case UID_EXPUNGE -> MessageParsers.uidExpunge(c);
        };
    }

    /** SP mailbox. */
    static String mailboxArgument(CommandCursor c) {
        c.sp();
        return SharedRules.mailbox(c);
    }

    // RFC 9051 §9 authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp] *(CRLF base64)
    private static ImapCommand authenticate(CommandCursor c) {
        c.sp();
        String mechanism = c.keyword(); // RFC 9051 §9 auth-type = atom
        Optional<Octets> initialResponse = Optional.empty();
        if (!c.atEnd()) {
            c.sp();
            initialResponse = Optional.of(initialResponse(c));
        }
        return new ImapCommand.Authenticate(mechanism, initialResponse);
    }

    // RFC 9051 §9 initial-resp = (base64 / "="); RFC 4959 §3: "=" is an empty response
    private static Octets initialResponse(CommandCursor c) {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = c.peek()) >= 0 && isBase64Char(b)) {
            text.append((char) b);
            c.tryConsume((char) b);
        }
        if (text.isEmpty()) {
            throw ParseException.bad("Expected a base64 initial response");
        }
        if (text.toString().equals("=")) {
            return Octets.empty();
        }
        return decodeBase64(text.toString())
                .orElseThrow(() -> ParseException.bad("Invalid base64 in the initial response"));
    }

    // RFC 9051 §9 base64 = *(4base64-char) [base64-terminal]
    static Optional<Octets> decodeBase64(String text) {
        if (text.length() % 4 != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Octets.wrap(Base64.getDecoder().decode(text)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // RFC 9051 §9 base64-char = ALPHA / DIGIT / "+" / "/"
    static boolean isBase64Char(int b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/' || b == '=';
    }

    // RFC 9051 §9 login = "LOGIN" SP userid SP password; userid = astring; password = astring
    private static ImapCommand login(CommandCursor c) {
        c.sp();
        String user = SharedRules.utf8Text(c.astring());
        c.sp();
        String password = SharedRules.utf8Text(c.astring());
        return new ImapCommand.Login(user, password);
    }

    // RFC 9051 §9 enable = "ENABLE" 1*(SP capability); capability = ("AUTH=" auth-type) / atom
    private static ImapCommand enable(CommandCursor c) {
        List<String> capabilities = new ArrayList<>();
        do {
            c.sp();
            c.checkItems(capabilities.size());
            capabilities.add(c.keyword());
        } while (!c.atEnd());
        return new ImapCommand.Enable(capabilities);
    }

    // RFC 2971 §4 id = "ID" SP id_params_list; id_params_list = "(" #(string SP nstring) ")" / nil
    private static ImapCommand id(CommandCursor c) {
        c.sp();
        List<ImapCommand.Id.Field> fields = new ArrayList<>();
        if (c.tryKeyword("NIL")) {
            return new ImapCommand.Id(fields);
        }
        c.expect('(');
        if (!c.tryConsume(')')) {
            do {
                c.checkItems(fields.size());
                String name = SharedRules.utf8Text(c.string());
                c.sp();
                Optional<String> value = c.nstring().map(SharedRules::utf8Text);
                fields.add(new ImapCommand.Id.Field(name, value));
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        return new ImapCommand.Id(fields);
    }

    // RFC 9208 §7 quota-root-name = astring
    private static String quotaRoot(CommandCursor c) {
        c.sp();
        return SharedRules.utf8Text(c.astring());
    }

    // RFC 9208 §7 setquota = "SETQUOTA" SP quota-root-name SP setquota-list;
    // setquota-list = "(" [setquota-resource *(SP setquota-resource)] ")";
    // setquota-resource = resource-name SP resource-limit
    private static ImapCommand setQuota(CommandCursor c) {
        String root = quotaRoot(c);
        c.sp();
        c.expect('(');
        List<ImapCommand.SetQuota.Limit> limits = new ArrayList<>();
        if (!c.tryConsume(')')) {
            do {
                c.checkItems(limits.size());
                String resource = c.keyword(); // resource-name = "STORAGE" / ... / atom
                c.sp();
                limits.add(new ImapCommand.SetQuota.Limit(resource, c.number64())); // resource-limit = number64
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        return new ImapCommand.SetQuota(root, limits);
    }

    // RFC 4978 §4 command-auth =/ compress; compress = "COMPRESS" SP algorithm; algorithm = "DEFLATE"
    private static ImapCommand compress(CommandCursor c) {
        c.sp();
        return new ImapCommand.Compress(c.atom().toUpperCase(Locale.ROOT));
    }
}
