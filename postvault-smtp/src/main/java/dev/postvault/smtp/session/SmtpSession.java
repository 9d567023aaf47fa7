package dev.postvault.smtp.session;

import dev.postvault.smtp.codec.DsnParameters;

import dev.postvault.smtp.codec.CommandParser;
import dev.postvault.smtp.codec.DataResult;
import dev.postvault.smtp.codec.InputLine;
import dev.postvault.smtp.codec.Mailbox;
import dev.postvault.smtp.codec.MessageBuffer;
import dev.postvault.smtp.codec.ParseError;
import dev.postvault.smtp.codec.ParseResult;
import dev.postvault.smtp.codec.ReceivedHeader;
import dev.postvault.smtp.codec.SmtpCommand;
import dev.postvault.smtp.codec.SmtpInput;
import dev.postvault.smtp.codec.SmtpReply;
import dev.postvault.smtp.codec.TraceProtocol;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound SMTP session (RFC 5321) on one transport: reads a line, parses it completely, checks
 * the {@link CommandTable}, executes it against the {@link DeliveryPort}, replies. Blocking; run it on
 * its own (virtual) thread. {@link #run()} returns when the session is over; the caller closes the
 * transport.
 */
public final class SmtpSession {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private final String hostname;
    private final SmtpLimits limits;
    private final Role role;
    private final SmtpTransport transport;
    private final String who;
    private final Envelope envelope = new Envelope();

    private SmtpInput in;
    private OutputStream out;
    private SessionState state = SessionState.GREETED;
    private boolean ehloGiven;
    private String heloName = "";
    private int badCommands;
    private int failedLogins;
    private boolean open = true;
    /** Who the client authenticated as (submission only); empty before AUTH and after STARTTLS. */
    private Optional<Principal> principal = Optional.empty();

    /** Failed AUTH attempts on one connection before it is closed (the store's throttle spans connections). */
    static final int MAX_FAILED_LOGINS = 3;
    /** The From-domain of submission's Received header when the client is withheld (RFC 2606 §2: .invalid). */
    static final String WITHHELD_CLIENT = "authenticated.invalid";
    /** RFC 4954 §4: a SASL response line may be up to 12,288 octets. */
    private static final int MAX_SASL_LINE_BYTES = 12_288;

    /**
     * @param hostname our host name, used in the greeting, EHLO reply and Received header
     * @param limits the session limits
     * @param port where recipients are checked and messages delivered
     * @param transport the connection
     */
    public SmtpSession(String hostname, SmtpLimits limits, DeliveryPort port, SmtpTransport transport) {
        this(hostname, limits, new Role.Mx(port), transport);
    }

    /**
     * @param role the inbound MX or submission: what is accepted from whom
     */
    public SmtpSession(String hostname, SmtpLimits limits, Role role, SmtpTransport transport) {
        this.hostname = hostname;
        this.limits = limits;
        this.role = role;
        this.transport = transport;
        // Privacy: the connection id and the remote IP are the only identifying data we log.
        this.who = "conn=" + transport.connectionId() + " ip=" + transport.remoteAddress().getHostAddress();
    }

    /** Greets the client and serves commands until QUIT, end of stream, timeout or too many errors. */
    public void run() {
        bindStreams();
        try {
            reply(Replies.greeting(hostname)); // RFC 5321 §4.3.1
            while (open) {
                transport.readTimeout(limits.commandTimeout()); // RFC 5321 §4.5.3.2.7
                switch (in.readLine(limits.maxCommandLineBytes())) {
                    case InputLine.EndOfStream end -> {
                        log.debug("{} client closed the connection", who);
                        open = false;
                    }
                    case InputLine.TooLong tooLong -> protocolError(ParseError.LINE_TOO_LONG.reply()); // RFC 5321 §4.5.3.1.4
                    case InputLine.Complete line -> handle(CommandParser.parse(line.bytes()));
                }
            }
            flush();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                log.info("{} timed out", who);
                sendQuietly(Replies.timeout(hostname)); // RFC 5321 §4.5.3.2: 421 and close
            } else {
                log.debug("{} connection lost ({})", who, e.getCause().getClass().getSimpleName());
            }
        }
    }

    private void handle(ParseResult result) {
        switch (result) {
            case ParseResult.Invalid invalid -> protocolError(invalid.error().reply());
            case ParseResult.Parsed parsed -> execute(parsed.command());
        }
    }

    private void execute(SmtpCommand command) {
        CommandTable.Rule rule = CommandTable.rule(command.verb());
        if (!rule.permits(state, ehloGiven)) {
            if (command instanceof SmtpCommand.Bdat bdat && !in.skip(bdat.chunkBytes())) {
                open = false; // RFC 3030 §2: a refused chunk must still be consumed to stay in step
                return;
            }
            protocolError(Replies.outOfSequence(command.verb(), state));
            return;
        }
        switch (command) {
            case SmtpCommand.Ehlo ehlo -> hello(ehlo.domain(), true);
            case SmtpCommand.Helo helo -> hello(helo.domain(), false);
            case SmtpCommand.MailFrom mail -> mail(mail);
            case SmtpCommand.RcptTo rcpt -> rcpt(rcpt.recipient(), rcpt.dsn());
            case SmtpCommand.Data data -> data();
            case SmtpCommand.Bdat bdat -> bdat(bdat);
            case SmtpCommand.Rset rset -> { // RFC 5321 §4.1.1.5
                envelope.reset();
                state = heloName.isEmpty() ? SessionState.GREETED : SessionState.READY;
                reply(Replies.OK);
            }
            case SmtpCommand.Noop noop -> reply(Replies.OK); // RFC 5321 §4.1.1.9
            case SmtpCommand.Quit quit -> { // RFC 5321 §4.1.1.10
                reply(Replies.closing(hostname));
                open = false;
            }
            case SmtpCommand.Vrfy vrfy -> reply(Replies.CANNOT_VRFY); // RFC 5321 §3.5.3, §7.3: never looked up
            case SmtpCommand.Help help -> reply(Replies.HELP); // RFC 5321 §4.1.1.8
            case SmtpCommand.StartTls startTls -> startTls();
            case SmtpCommand.Auth auth -> auth(auth);
        }
    }

    private void hello(String domain, boolean extended) {
        envelope.reset(); // RFC 5321 §4.1.4: EHLO/HELO also clears the transaction state
        heloName = domain;
        ehloGiven = extended;
        state = SessionState.READY;
        reply(extended
                ? Replies.ehlo(hostname, limits.maxMessageBytes(), transport.tlsAvailable(), authOffered(), role.offersDsn(), requireTlsOffered())
                : Replies.helo(hostname));
    }

    private void mail(SmtpCommand.MailFrom mail) {
        if (!ehloGiven && mail.parameters().any()) {
            protocolError(Replies.PARAMETERS_NEED_EHLO); // RFC 5321 §4.1.1.11: no extensions after HELO
            return;
        }
        if (mail.parameters().declaredSizeBytes().orElse(0) > limits.maxMessageBytes()) {
            reply(Replies.MESSAGE_TOO_BIG); // RFC 1870 §6.1: refuse at MAIL when SIZE is too large
            return;
        }
        if (mail.parameters().auth() && !role.authenticates()) {
            protocolError(ParseError.UNKNOWN_PARAMETER.reply()); // RFC 4954 §5: only where AUTH is offered
            return;
        }
        if (mail.parameters().dsn() && !role.offersDsn()) {
            protocolError(ParseError.UNKNOWN_PARAMETER.reply()); // RFC 3461 §4: only where DSN is offered
            return;
        }
        if (mail.parameters().requireTls() && !requireTlsOffered()) {
            protocolError(ParseError.UNKNOWN_PARAMETER.reply()); // RFC 8689 §3: offered only under TLS
            return;
        }
        if (role.authenticates()) {
            if (principal.isEmpty()) {
                reply(Replies.AUTH_REQUIRED); // RFC 4954 §6, RFC 6409 §4.3
                return;
            }
            // RFC 6409 §6.1: the envelope sender must be an address of this login (no null path either:
            // a login never sends bounces, and <> would let it send mail nobody can answer).
            if (mail.reversePath().isEmpty() || !principal.get().mayUse(mail.reversePath().get().address())) {
                log.info("{} sender refused for {}", who, principal.get());
                reply(Replies.rejection(RejectionKind.SENDER_NOT_ALLOWED));
                return;
            }
            Optional<RejectionKind> refused = ((Role.Submission) role).port().admit(principal.get());
            if (refused.isPresent()) {
                log.info("{} {} refused: {}", who, principal.get(), refused.get());
                reply(Replies.rejection(refused.get()));
                return;
            }
        }
        envelope.begin(mail.reversePath().map(Mailbox::address), mail.parameters());
        state = SessionState.MAIL;
        reply(Replies.SENDER_OK);
    }

    /**
     * RFC 8689 §3: REQUIRETLS is offered once the session runs under TLS. The MX takes it as final
     * delivery (the message goes no further); submission keeps it with the message, and outbound
     * delivery honours it.
     */
    private boolean requireTlsOffered() {
        return transport.tlsActive();
    }

    private void rcpt(Mailbox requested, DsnParameters.Recipient dsn) {
        if (dsn.any() && !role.offersDsn()) {
            protocolError(ParseError.UNKNOWN_PARAMETER.reply()); // RFC 5321 §4.1.1.11: no RCPT parameters offered
            return;
        }
        if (!requested.isAscii() && !envelope.parameters.smtpUtf8()) {
            reply(Replies.NON_ASCII_RECIPIENT); // RFC 6531 §3.5
            return;
        }
        Mailbox mailbox = requested.isBarePostmaster() ? requested.withDomain(hostname) : requested; // RFC 5321 §4.1.1.3
        String address = mailbox.address();
        if (envelope.recipients.contains(address)) {
            reply(Replies.RECIPIENT_OK); // a repeated recipient is delivered once
            return;
        }
        if (envelope.recipients.size() >= limits.maxRecipients()) {
            reply(Replies.TOO_MANY_RECIPIENTS); // RFC 5321 §4.5.3.1.10
            return;
        }
        RecipientDecision decision;
        try {
            decision = role.checkRecipient(principal, address);
        } catch (DeliveryException e) {
            log.warn("{} recipient check refused: {}", who, e.kind());
            reply(Replies.rejection(e.kind()));
            return;
        } catch (RuntimeException e) {
            log.error("{} recipient check failed ({})", who, e.getClass().getName());
            reply(Replies.LOCAL_ERROR);
            return;
        }
        switch (decision) {
            case RecipientDecision.Accept accept -> {
                envelope.recipients.add(address);
                if (dsn.any()) envelope.recipientDsn.put(address, dsn);
                state = SessionState.RCPT;
                reply(Replies.RECIPIENT_OK);
            }
            case RecipientDecision.Refuse refuse -> {
                log.info("{} recipient refused: {}", who, refuse.kind());
                reply(Replies.rejection(refuse.kind()));
            }
        }
    }

    private void data() {
        reply(Replies.START_DATA); // RFC 5321 §4.1.1.4
        transport.readTimeout(limits.dataTimeout());
        MessageBuffer buffer = newMessageBuffer();
        DataResult result = in.readData(buffer, limits.maxTextLineBytes());
        switch (result) {
            case END_OF_STREAM -> {
                log.info("{} connection closed during DATA, nothing delivered", who);
                open = false;
            }
            case TOO_BIG -> {
                endTransaction();
                reply(Replies.MESSAGE_TOO_BIG); // RFC 5321 §4.5.3.1.10 / RFC 1870 §6.2
            }
            case LINE_TOO_LONG -> {
                endTransaction();
                reply(Replies.MESSAGE_LINE_TOO_LONG);
            }
            case COMPLETE -> deliver(buffer);
        }
    }

    private void bdat(SmtpCommand.Bdat bdat) {
        if (envelope.chunks.isEmpty()) {
            envelope.chunks = Optional.of(newMessageBuffer());
            state = SessionState.BDAT;
        }
        MessageBuffer buffer = envelope.chunks.get();
        transport.readTimeout(limits.dataTimeout());
        if (!in.readChunk(bdat.chunkBytes(), buffer)) {
            log.info("{} connection closed during BDAT, nothing delivered", who);
            open = false;
            return;
        }
        if (buffer.overflowed()) {
            endTransaction(); // RFC 3030 §2: after an error reply the transaction is over
            reply(Replies.MESSAGE_TOO_BIG);
            return;
        }
        if (!bdat.last()) {
            reply(Replies.chunkReceived(bdat.chunkBytes()));
            return;
        }
        deliver(buffer);
    }

    /** Starts the message with our trace header (RFC 5321 §4.4), assigning the transaction id. */
    private MessageBuffer newMessageBuffer() {
        envelope.id = newId();
        MessageBuffer buffer = new MessageBuffer(limits.maxMessageBytes());
        TraceProtocol protocol =
                TraceProtocol.of(ehloGiven, transport.tlsActive(), principal.isPresent(), envelope.parameters.smtpUtf8());
        // Submission keeps the client out of the message unless configured (privacy): neither its
        // address nor its EHLO name, which is often an address literal or a name on the user's network.
        boolean withAddress = !(role instanceof Role.Submission s) || s.clientAddressInReceived();
        buffer.writeHeader(ReceivedHeader.format(withAddress ? heloName : WITHHELD_CLIENT,
                withAddress ? Optional.of(transport.remoteAddress()) : Optional.empty(),
                hostname, protocol, envelope.id, ZonedDateTime.now(ZoneOffset.UTC)));
        return buffer;
    }

    private void deliver(MessageBuffer buffer) {
        Transaction transaction = new Transaction(envelope.id, transport.connectionId(), envelope.reversePath,
                List.copyOf(envelope.recipients), envelope.parameters.bodyType(),
                envelope.parameters.smtpUtf8(), heloName, transport.remoteAddress().getHostAddress(),
                transport.tlsActive(), Instant.now(),
                new Transaction.Dsn(envelope.parameters.ret(), envelope.parameters.envelopeId(), envelope.recipientDsn),
                envelope.parameters.requireTls());
        endTransaction();
        SmtpReply outcome;
        try {
            role.deliver(principal, transaction, buffer.toByteArray()); // returns once durable: only then 250
            log.info("{} delivered id={} bytes={} recipients={}", who, transaction.id(), buffer.contentBytes(),
                    transaction.recipients().size());
            outcome = Replies.delivered(transaction.id());
        } catch (DeliveryException e) {
            log.warn("{} delivery refused id={} kind={}", who, transaction.id(), e.kind());
            outcome = Replies.rejection(e.kind());
        } catch (RuntimeException e) {
            log.error("{} delivery failed id={} ({})", who, transaction.id(), e.getClass().getName());
            outcome = Replies.LOCAL_ERROR;
        }
        reply(outcome);
    }

    private void startTls() {
        if (transport.tlsActive()) {
            protocolError(Replies.TLS_ALREADY_ACTIVE);
            return;
        }
        if (!transport.tlsAvailable()) {
            protocolError(Replies.TLS_NOT_AVAILABLE);
            return;
        }
        reply(Replies.READY_FOR_TLS);
        flush();
        int dropped = in.discardBuffered(); // RFC 3207 §4.2: nothing sent before the handshake may be used
        if (dropped > 0) {
            log.warn("{} discarded {} octets pipelined after STARTTLS", who, dropped);
        }
        transport.startTls();
        bindStreams();
        envelope.reset(); // RFC 3207 §4.2: forget all knowledge obtained before TLS; EHLO again
        principal = Optional.empty();
        heloName = "";
        ehloGiven = false;
        state = SessionState.GREETED;
        log.info("{} TLS established", who);
    }

    /** RFC 4954 §4: AUTH is offered under TLS, or without it on loopback when so configured. */
    private boolean authOffered() {
        return role instanceof Role.Submission s
                && (transport.tlsActive() || (s.plaintextAuthOnLoopback() && transport.remoteAddress().isLoopbackAddress()));
    }

    /** AUTH (RFC 4954 §4) with PLAIN or LOGIN, through the role's login path. */
    private void auth(SmtpCommand.Auth auth) {
        if (!(role instanceof Role.Submission submission)) {
            protocolError(Replies.AUTH_NOT_AVAILABLE);
            return;
        }
        if (principal.isPresent()) {
            protocolError(Replies.ALREADY_AUTHENTICATED); // RFC 4954 §4: one successful AUTH per session
            return;
        }
        if (!authOffered()) {
            reply(Replies.ENCRYPTION_REQUIRED); // RFC 4954 §6; RFC 8314 §3: no passwords in clear
            return;
        }
        SaslExchange.Channel channel = challenge -> {
            reply(Replies.challenge(challenge));
            return switch (in.readLine(MAX_SASL_LINE_BYTES)) {
                case InputLine.Complete line -> Optional.of(new String(line.bytes(), java.nio.charset.StandardCharsets.US_ASCII));
                case InputLine.TooLong tooLong -> Optional.of("!"); // not base64: answered as malformed
                case InputLine.EndOfStream end -> Optional.empty();
            };
        };
        SaslExchange.Outcome outcome = switch (auth.mechanism()) {
            case "PLAIN" -> SaslExchange.plain(auth.initialResponse(), channel);
            case "LOGIN" -> SaslExchange.login(auth.initialResponse(), channel);
            default -> null;
        };
        switch (outcome) {
            case null -> reply(Replies.UNKNOWN_MECHANISM);
            case SaslExchange.Outcome.Closed closed -> open = false;
            case SaslExchange.Outcome.Cancelled cancelled -> reply(Replies.AUTH_CANCELLED);
            case SaslExchange.Outcome.Malformed malformed -> protocolError(Replies.AUTH_MALFORMED);
            case SaslExchange.Outcome.Credentials c -> login(submission, c.credentials());
        }
    }

    private void login(Role.Submission submission, dev.postvault.net.SaslPlain.Credentials credentials) {
        SubmissionPort.Login result;
        try {
            result = submission.port().authenticate(credentials.user(), credentials.password(), transport.remoteAddress());
        } catch (RuntimeException e) {
            log.error("{} login failed ({})", who, e.getClass().getName());
            result = new SubmissionPort.Login.Unavailable();
        }
        switch (result) {
            case SubmissionPort.Login.Success success -> {
                principal = Optional.of(success.principal());
                log.info("{} authenticated as {}", who, success.principal());
                reply(Replies.AUTH_OK);
            }
            case SubmissionPort.Login.Failed failed -> {
                failedLogins++;
                log.info("{} authentication failed", who);
                if (failedLogins >= MAX_FAILED_LOGINS) {
                    reply(Replies.tooManyAuthFailures(hostname));
                    open = false;
                } else {
                    reply(Replies.AUTH_FAILED);
                }
            }
            case SubmissionPort.Login.Throttled throttled -> reply(Replies.throttled(throttled.text()));
            case SubmissionPort.Login.Unavailable unavailable -> reply(Replies.AUTH_TEMPORARY);
        }
    }

    private void endTransaction() {
        envelope.reset();
        state = SessionState.READY;
    }

    /** Counts a protocol error; past the limit the answer is 421 and the session ends (RFC 5321 §3.8). */
    private void protocolError(SmtpReply reply) {
        badCommands++;
        if (badCommands > limits.maxBadCommands()) {
            log.info("{} too many protocol errors, closing", who);
            reply(Replies.tooManyErrors(hostname));
            open = false;
            return;
        }
        reply(reply);
    }

    private void bindStreams() {
        out = new BufferedOutputStream(transport.output(), 8 * 1024);
        in = new SmtpInput(transport.input(), out); // replies are flushed whenever we would block on input
    }

    private void reply(SmtpReply reply) {
        try {
            out.write(reply.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sendQuietly(SmtpReply reply) {
        try {
            out.write(reply.toBytes());
            out.flush();
        } catch (IOException ignored) {
            // the connection is being dropped anyway
        }
    }

    private static String newId() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}
