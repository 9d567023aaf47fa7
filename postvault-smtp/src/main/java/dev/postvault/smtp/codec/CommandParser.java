package dev.postvault.smtp.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses one command line (without its CRLF) into a {@link SmtpCommand}. Total: every input, however
 * malformed, yields a {@link ParseResult}; it never throws. It knows nothing about session state, so
 * sequencing and the SMTPUTF8 check on RCPT are the session's job.
 */
public final class CommandParser {

    private static final int MAX_CHUNK_DIGITS = 18; // fits a long; anything larger is refused
    private static final int MAX_SIZE_DIGITS = 20; // RFC 1870 §3: size-value ::= 1*20DIGIT

    private CommandParser() {}

    /** Parses raw line bytes: US-ASCII, or UTF-8 in addresses (RFC 6531 §3.3); other bytes are refused. */
    public static ParseResult parse(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            return new ParseResult.Invalid(ParseError.BAD_CHARACTERS, Optional.empty());
        }
        return parse(text);
    }

    /** Parses an already decoded command line. */
    public static ParseResult parse(String rawLine) {
        String line = stripTrailingWhitespace(rawLine); // RFC 5321 §4.1.1: tolerate trailing white space
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) { // RFC 5321 §2.3.8: no control characters inside a command
                return new ParseResult.Invalid(ParseError.BAD_CHARACTERS, Optional.empty());
            }
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String args = space < 0 ? "" : line.substring(space + 1);
        Optional<Verb> verb = Verb.of(word);
        if (verb.isEmpty()) {
            return new ParseResult.Invalid(ParseError.UNKNOWN_COMMAND, Optional.empty());
        }
        try {
            return new ParseResult.Parsed(command(verb.get(), args));
        } catch (Reject reject) {
            return new ParseResult.Invalid(reject.error, verb);
        }
    }

    private static SmtpCommand command(Verb verb, String args) {
        return switch (verb) {
            case EHLO -> new SmtpCommand.Ehlo(helloDomain(args)); // RFC 5321 §4.1.1.1
            case HELO -> new SmtpCommand.Helo(helloDomain(args)); // RFC 5321 §4.1.1.1
            case MAIL -> mail(args);
            case RCPT -> rcpt(args);
            case DATA -> noArguments(args, new SmtpCommand.Data()); // RFC 5321 §4.1.1.4
            case BDAT -> bdat(args);
            case RSET -> noArguments(args, new SmtpCommand.Rset()); // RFC 5321 §4.1.1.5
            case NOOP -> new SmtpCommand.Noop(); // RFC 5321 §4.1.1.9: the parameter is ignored
            case QUIT -> noArguments(args, new SmtpCommand.Quit()); // RFC 5321 §4.1.1.10
            case VRFY -> new SmtpCommand.Vrfy(required(args)); // RFC 5321 §4.1.1.6
            case HELP -> new SmtpCommand.Help(args.isEmpty() ? Optional.empty() : Optional.of(args));
            case STARTTLS -> noArguments(args, new SmtpCommand.StartTls()); // RFC 3207 §4: no parameters
            case AUTH -> auth(args);
        };
    }

    /**
     * auth-command = "AUTH" SP sasl-mech [SP initial-response] (RFC 4954 §4); sasl-mech = 1*20
     * (UPPER-ALPHA / DIGIT / "-" / "_") (RFC 4422 §3.1), accepted in any case; initial-response =
     * base64 / "=".
     */
    private static SmtpCommand auth(String args) {
        String[] parts = args.split(" ", -1);
        if (parts.length < 1 || parts.length > 2) {
            throw new Reject(ParseError.SYNTAX);
        }
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if (mechanism.isEmpty() || mechanism.length() > 20
                || !mechanism.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            throw new Reject(ParseError.SYNTAX);
        }
        if (parts.length == 1) {
            return new SmtpCommand.Auth(mechanism, Optional.empty());
        }
        String initial = parts[1];
        if (initial.isEmpty() || !(initial.equals("=") || isBase64(initial))) {
            throw new Reject(ParseError.SYNTAX);
        }
        return new SmtpCommand.Auth(mechanism, Optional.of(initial));
    }

    /** base64 (RFC 4648 §4) as SASL responses carry it: whole quanta, padding only at the end. */
    public static boolean isBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - pad; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** ehlo = "EHLO" SP ( Domain / address-literal ) (RFC 5321 §4.1.1.1). */
    private static String helloDomain(String args) {
        if (args.isEmpty()) {
            throw new Reject(ParseError.SYNTAX);
        }
        try {
            PathParser parser = new PathParser(args, 0);
            String domain = args.startsWith("[") ? parser.addressLiteral() : parser.domain(true);
            if (parser.position() != args.length() || !domain.chars().allMatch(c -> c < 0x80)) {
                throw new Reject(ParseError.SYNTAX); // EHLO precedes SMTPUTF8, so A-labels only
            }
            return domain;
        } catch (PathParser.Failure e) {
            throw new Reject(ParseError.SYNTAX);
        }
    }

    /** mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] (RFC 5321 §4.1.1.2). */
    private static SmtpCommand mail(String args) {
        String path = prefixed(args, "FROM:");
        PathParser parser = new PathParser(path, 0);
        Optional<Mailbox> sender;
        try {
            sender = parser.reversePath();
        } catch (PathParser.Failure e) {
            throw new Reject(ParseError.BAD_SENDER_SYNTAX);
        }
        MailParameters parameters = mailParameters(parameterTokens(path.substring(parser.position())));
        if (!parameters.smtpUtf8() && sender.isPresent() && !sender.get().isAscii()) {
            throw new Reject(ParseError.NON_ASCII_ADDRESS); // RFC 6531 §3.5
        }
        return new SmtpCommand.MailFrom(sender, parameters);
    }

    /** rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) (RFC 5321 §4.1.1.3). */
    private static SmtpCommand rcpt(String args) {
        String path = prefixed(args, "TO:");
        PathParser parser = new PathParser(path, 0);
        Mailbox recipient;
        try {
            recipient = parser.forwardPath();
        } catch (PathParser.Failure e) {
            throw new Reject(ParseError.BAD_RECIPIENT_SYNTAX);
        }
        return new SmtpCommand.RcptTo(recipient, rcptParameters(parameterTokens(path.substring(parser.position()))));
    }

    /** RCPT parameters: NOTIFY and ORCPT (RFC 3461 §4.1, §4.2); any other is unknown (RFC 5321 §4.1.1.11). */
    private static DsnParameters.Recipient rcptParameters(List<String> tokens) {
        Optional<java.util.Set<DsnParameters.Notify>> notify = Optional.empty();
        Optional<String> orcpt = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String token : tokens) {
            int eq = token.indexOf('=');
            String keyword = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (!seen.add(keyword)) throw new Reject(ParseError.SYNTAX);
            switch (keyword) {
                case "NOTIFY" -> {
                    java.util.Set<DsnParameters.Notify> n = value == null ? null : DsnParameters.notify(value);
                    if (n == null) throw new Reject(ParseError.SYNTAX);
                    notify = Optional.of(n);
                }
                case "ORCPT" -> { // orcpt-parameter = "ORCPT=" addr-type ";" xtext
                    int semi = value == null ? -1 : value.indexOf(';');
                    String address = semi <= 0 ? null : DsnParameters.decodeXtext(value.substring(semi + 1));
                    if (address == null || address.isEmpty() || address.length() > DsnParameters.MAX_ORCPT
                            || !value.substring(0, semi).chars().allMatch(c -> isAlnum((char) c) || c == '-')) {
                        throw new Reject(ParseError.SYNTAX);
                    }
                    orcpt = Optional.of(value.substring(0, semi) + ";" + address);
                }
                default -> throw new Reject(ParseError.UNKNOWN_PARAMETER);
            }
        }
        return new DsnParameters.Recipient(notify, orcpt);
    }

    /** bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] (RFC 3030 §2). */
    private static SmtpCommand bdat(String args) {
        String[] parts = args.split(" ", -1);
        if (parts.length < 1 || parts.length > 2 || !isDigits(parts[0], MAX_CHUNK_DIGITS)) {
            throw new Reject(ParseError.SYNTAX);
        }
        boolean last = parts.length == 2;
        if (last && !parts[1].equalsIgnoreCase("LAST")) {
            throw new Reject(ParseError.SYNTAX);
        }
        return new SmtpCommand.Bdat(Long.parseLong(parts[0]), last);
    }

    /** Mail-parameters = esmtp-param *(SP esmtp-param) (RFC 5321 §4.1.2), restricted to what we advertise. */
    private static MailParameters mailParameters(List<String> tokens) {
        OptionalLong size = OptionalLong.empty();
        Optional<BodyType> body = Optional.empty();
        boolean smtpUtf8 = false;
        boolean auth = false;
        Optional<DsnParameters.Ret> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        boolean requireTls = false;
        Set<String> seen = new HashSet<>();
        for (String token : tokens) {
            int eq = token.indexOf('=');
            String keyword = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(token.substring(eq + 1));
            if (!seen.add(keyword)) {
                throw new Reject(ParseError.SYNTAX); // a parameter may appear once
            }
            switch (keyword) {
                case "SIZE" -> { // RFC 1870 §3
                    String digits = value.filter(v -> isDigits(v, MAX_SIZE_DIGITS))
                            .orElseThrow(() -> new Reject(ParseError.SYNTAX));
                    size = OptionalLong.of(digits.length() > MAX_CHUNK_DIGITS ? Long.MAX_VALUE : Long.parseLong(digits));
                }
                case "BODY" -> body = Optional.of(bodyType(value)); // RFC 6152 §2
                case "AUTH" -> { // RFC 4954 §5: xtext or "<>"; never trusted, so its value is not kept
                    if (value.isEmpty()) {
                        throw new Reject(ParseError.SYNTAX);
                    }
                    auth = true;
                }
                case "SMTPUTF8" -> { // RFC 6531 §3.4: the parameter takes no value
                    if (value.isPresent()) {
                        throw new Reject(ParseError.SYNTAX);
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> { // RFC 3461 §4.3
                    String v = value.orElseThrow(() -> new Reject(ParseError.SYNTAX)).toUpperCase(Locale.ROOT);
                    if (!v.equals("FULL") && !v.equals("HDRS")) throw new Reject(ParseError.SYNTAX);
                    ret = Optional.of(DsnParameters.Ret.valueOf(v));
                }
                case "ENVID" -> { // RFC 3461 §4.4: xtext, at most 100 characters decoded
                    String decoded = value.map(DsnParameters::decodeXtext).orElse(null);
                    if (decoded == null || decoded.isEmpty() || decoded.length() > DsnParameters.MAX_ENVID) throw new Reject(ParseError.SYNTAX);
                    envid = Optional.of(decoded);
                }
                case "REQUIRETLS" -> { // RFC 8689 §3: no value
                    if (value.isPresent()) throw new Reject(ParseError.SYNTAX);
                    requireTls = true;
                }
                default -> throw new Reject(ParseError.UNKNOWN_PARAMETER); // RFC 5321 §4.1.1.11
            }
        }
        return new MailParameters(size, body, smtpUtf8, auth, ret, envid, requireTls);
    }

    private static BodyType bodyType(Optional<String> value) {
        String v = value.orElseThrow(() -> new Reject(ParseError.SYNTAX)).toUpperCase(Locale.ROOT);
        return switch (v) {
            case "7BIT" -> BodyType.SEVEN_BIT;
            case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
            case "BINARYMIME" -> throw new Reject(ParseError.UNKNOWN_PARAMETER); // RFC 3030 §3: not advertised
            default -> throw new Reject(ParseError.SYNTAX);
        };
    }

    /**
     * Splits what follows a path into esmtp-param tokens, checking their syntax: the path must be
     * followed by nothing or by SP (RFC 5321 §4.1.2); keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-");
     * value = 1*(%d33-60 / %d62-126), UTF-8 allowed by RFC 6531 §3.3.
     */
    private static List<String> parameterTokens(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        if (rest.charAt(0) != ' ') {
            throw new Reject(ParseError.SYNTAX);
        }
        List<String> tokens = new ArrayList<>();
        for (String token : rest.trim().split(" +")) {
            int eq = token.indexOf('=');
            String keyword = eq < 0 ? token : token.substring(0, eq);
            if (keyword.isEmpty() || !isAlnum(keyword.charAt(0))
                    || !keyword.chars().allMatch(c -> isAlnum((char) c) || c == '-')) {
                throw new Reject(ParseError.SYNTAX);
            }
            if (eq >= 0) {
                String value = token.substring(eq + 1);
                if (value.isEmpty() || !value.chars().allMatch(c -> (c >= 33 && c <= 126 && c != '=') || c >= 0x80)) {
                    throw new Reject(ParseError.SYNTAX);
                }
            }
            tokens.add(token);
        }
        return tokens;
    }

    /** "FROM:" / "TO:", case-insensitive; spaces after the colon are tolerated (common client habit). */
    private static String prefixed(String args, String prefix) {
        if (!args.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new Reject(ParseError.SYNTAX);
        }
        int start = prefix.length();
        while (start < args.length() && args.charAt(start) == ' ') {
            start++;
        }
        return args.substring(start);
    }

    private static String required(String args) {
        if (args.isEmpty()) {
            throw new Reject(ParseError.SYNTAX);
        }
        return args;
    }

    private static SmtpCommand noArguments(String args, SmtpCommand command) {
        if (!args.isEmpty()) {
            throw new Reject(ParseError.SYNTAX);
        }
        return command;
    }

    private static boolean isDigits(String s, int maxDigits) {
        return !s.isEmpty() && s.length() <= maxDigits && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String stripTrailingWhitespace(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Control flow for a refused line; never escapes this class. */
    private static final class Reject extends RuntimeException {
        private final ParseError error;

        Reject(ParseError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }
}
