package dev.postvault.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static SmtpCommand parsed(String line) {
        ParseResult result = CommandParser.parse(line);
        assertThat(result).as(line).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).command();
    }

    private static ParseError error(String line) {
        ParseResult result = CommandParser.parse(line);
        assertThat(result).as(line).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).error();
    }

    private static String sender(String line) {
        return ((SmtpCommand.MailFrom) parsed(line)).reversePath().orElseThrow().address();
    }

    private static String recipient(String line) {
        return ((SmtpCommand.RcptTo) parsed(line)).recipient().address();
    }

    @Test
    void appendixD1TypicalTransactionCommands() {
        // RFC 5321 Appendix D.1, client side
        assertThat(parsed("EHLO bar.com")).isEqualTo(new SmtpCommand.Ehlo("bar.com"));
        assertThat(sender("MAIL FROM:<Smith@bar.com>")).isEqualTo("Smith@bar.com");
        assertThat(recipient("RCPT TO:<Jones@foo.com>")).isEqualTo("Jones@foo.com");
        assertThat(recipient("RCPT TO:<Green@foo.com>")).isEqualTo("Green@foo.com");
        assertThat(recipient("RCPT TO:<Brown@foo.com>")).isEqualTo("Brown@foo.com");
        assertThat(parsed("DATA")).isEqualTo(new SmtpCommand.Data());
        assertThat(parsed("QUIT")).isEqualTo(new SmtpCommand.Quit());
    }

    @Test
    void appendixD2AbortedTransactionCommands() {
        assertThat(parsed("EHLO bar.com")).isInstanceOf(SmtpCommand.Ehlo.class);
        assertThat(sender("MAIL FROM:<Smith@bar.com>")).isEqualTo("Smith@bar.com");
        assertThat(parsed("RSET")).isEqualTo(new SmtpCommand.Rset());
    }

    @Test
    void appendixD3RelayedMailCommandsNormaliseTheDomainOnly() {
        assertThat(parsed("EHLO foo.com")).isEqualTo(new SmtpCommand.Ehlo("foo.com"));
        assertThat(sender("MAIL FROM:<JQP@bar.com>")).isEqualTo("JQP@bar.com");
        assertThat(recipient("RCPT TO:<Jones@XYZ.COM>")).isEqualTo("Jones@xyz.com");
    }

    @Test
    void verbsAndKeywordsAreCaseInsensitive() {
        assertThat(sender("mail from:<a@B.Example>")).isEqualTo("a@b.example");
        assertThat(recipient("rCpT tO:<x@y.z>")).isEqualTo("x@y.z");
        assertThat(parsed("quit")).isEqualTo(new SmtpCommand.Quit());
    }

    @Test
    void nullReversePath() {
        SmtpCommand.MailFrom mail = (SmtpCommand.MailFrom) parsed("MAIL FROM:<>");
        assertThat(mail.reversePath()).isEmpty();
        assertThat(mail.parameters()).isEqualTo(MailParameters.NONE);
        assertThat(error("RCPT TO:<>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void quotedLocalPartsAreKeptExactly() {
        assertThat(recipient("RCPT TO:<\"john doe\"@example.com>")).isEqualTo("\"john doe\"@example.com");
        assertThat(recipient("RCPT TO:<\"a\\\"b@c\"@Example.COM>")).isEqualTo("\"a\\\"b@c\"@example.com");
        assertThat(sender("MAIL FROM:<\"\\\\\"@x.org>")).isEqualTo("\"\\\\\"@x.org");
        assertThat(error("RCPT TO:<\"unterminated@x.org>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<\"\"@x.org>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void atextSpecialsInDotStrings() {
        assertThat(recipient("RCPT TO:<a.b+tag!#$%&'*/=?^_`{|}~-c@example.com>"))
                .isEqualTo("a.b+tag!#$%&'*/=?^_`{|}~-c@example.com");
        assertThat(error("RCPT TO:<a..b@example.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<.a@example.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a b@example.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void sourceRoutesAreIgnored() {
        assertThat(recipient("RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>")).isEqualTo("userc@d.bar.org");
        assertThat(sender("MAIL FROM:<@a.example:x@b.example>")).isEqualTo("x@b.example");
        assertThat(error("RCPT TO:<@hosta.int userc@d.bar.org>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void domainLiterals() {
        assertThat(recipient("RCPT TO:<a@[192.0.2.1]>")).isEqualTo("a@[192.0.2.1]");
        assertThat(recipient("RCPT TO:<a@[IPv6:2001:DB8::1]>")).isEqualTo("a@[ipv6:2001:db8::1]");
        assertThat(recipient("RCPT TO:<a@[IPv6:::ffff:192.0.2.1]>")).isEqualTo("a@[ipv6:::ffff:192.0.2.1]");
        assertThat(error("RCPT TO:<a@[192.0.2.256]>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@[1.2.3]>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@[IPv6:2001:db8::g]>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@[IPv6:localhost]>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(parsed("EHLO [127.0.0.1]")).isEqualTo(new SmtpCommand.Ehlo("[127.0.0.1]"));
    }

    @Test
    void badDomains() {
        assertThat(error("RCPT TO:<a@-x.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@x-.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@x..com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@x.com.>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@x_y.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a@" + "l".repeat(64) + ".com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<a>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
        assertThat(error("RCPT TO:<@example.com>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void barePostmasterIsTheOnlyMailboxWithoutDomain() {
        Mailbox postmaster = ((SmtpCommand.RcptTo) parsed("RCPT TO:<Postmaster>")).recipient();
        assertThat(postmaster.isBarePostmaster()).isTrue();
        assertThat(postmaster.withDomain("MX.Test").address()).isEqualTo("Postmaster@mx.test");
        assertThat(recipient("RCPT TO:<postmaster@Example.com>")).isEqualTo("postmaster@example.com");
        assertThat(error("RCPT TO:<abuse>")).isEqualTo(ParseError.BAD_RECIPIENT_SYNTAX);
    }

    @Test
    void mailParameters() {
        SmtpCommand.MailFrom mail = (SmtpCommand.MailFrom) parsed("MAIL FROM:<a@b.c> SIZE=12345 BODY=8BITMIME SMTPUTF8");
        assertThat(mail.parameters()).isEqualTo(
                new MailParameters(OptionalLong.of(12345), Optional.of(BodyType.EIGHT_BIT_MIME), true));
        SmtpCommand.MailFrom lower = (SmtpCommand.MailFrom) parsed("MAIL FROM:<> body=7bit size=0");
        assertThat(lower.parameters().bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(lower.parameters().declaredSizeBytes()).hasValue(0);
        SmtpCommand.MailFrom huge = (SmtpCommand.MailFrom) parsed("MAIL FROM:<a@b.c> SIZE=99999999999999999999");
        assertThat(huge.parameters().declaredSizeBytes()).hasValue(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM:<a@b.c> BODY=BINARYMIME", "MAIL FROM:<a@b.c> X-FOO", "RCPT TO:<a@b.c> SMTPUTF8",
        "RCPT TO:<a@b.c> X-PRIORITY=1"})
    void unknownParametersAre555(String line) {
        assertThat(error(line)).isEqualTo(ParseError.UNKNOWN_PARAMETER);
        assertThat(ParseError.UNKNOWN_PARAMETER.reply().code()).isEqualTo(555);
    }

    @Test
    void dsnParametersOfRfc3461() {
        // §4.3, §4.4: RET and ENVID (xtext: "+2B" is "+", "+3D" is "=").
        var mail = (SmtpCommand.MailFrom) parsed("MAIL FROM:<a@b.c> RET=hdrs ENVID=QQ314159+2Bx+3Dy");
        assertThat(mail.parameters().ret()).hasValue(DsnParameters.Ret.HDRS);
        assertThat(mail.parameters().envelopeId()).hasValue("QQ314159+x=y");
        assertThat(mail.parameters().dsn()).isTrue();
        // §4.1, §4.2: NOTIFY and ORCPT.
        var rcpt = (SmtpCommand.RcptTo) parsed("RCPT TO:<x@y.z> NOTIFY=SUCCESS,delay ORCPT=rfc822;Bob+40Example.ORG");
        assertThat(rcpt.dsn().notifyOn()).hasValue(java.util.Set.of(DsnParameters.Notify.SUCCESS, DsnParameters.Notify.DELAY));
        assertThat(rcpt.dsn().originalRecipient()).hasValue("rfc822;Bob@Example.ORG");
        assertThat(rcpt.dsn().wants(DsnParameters.Notify.FAILURE)).isFalse();
        var never = (SmtpCommand.RcptTo) parsed("RCPT TO:<x@y.z> NOTIFY=NEVER");
        assertThat(never.dsn().notifyOn()).hasValue(java.util.Set.of());
        assertThat(never.dsn().wants(DsnParameters.Notify.FAILURE)).isFalse();
        var none = (SmtpCommand.RcptTo) parsed("RCPT TO:<x@y.z>");
        assertThat(none.dsn().wants(DsnParameters.Notify.FAILURE)).isTrue();
        assertThat(none.dsn().wants(DsnParameters.Notify.DELAY)).isTrue();
        assertThat(none.dsn().wants(DsnParameters.Notify.SUCCESS)).isFalse();
        assertThat(DsnParameters.encodeXtext("a+b=c d\u00e9")).isEqualTo("a+2Bb+3Dc+20d+C3+A9");
        assertThat(DsnParameters.decodeXtext(DsnParameters.encodeXtext("a+b=c d\u00e9"))).isEqualTo("a+b=c d\u00e9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM:<a@b.c> RET=ALL", "MAIL FROM:<a@b.c> RET", "MAIL FROM:<a@b.c> ENVID=a+2", "MAIL FROM:<a@b.c> ENVID=a+2b",
        "MAIL FROM:<a@b.c> ENVID=a+ZZ", "MAIL FROM:<a@b.c> RET=FULL RET=HDRS", "RCPT TO:<a@b.c> NOTIFY=NEVER,SUCCESS",
        "RCPT TO:<a@b.c> NOTIFY=SOMETIMES", "RCPT TO:<a@b.c> NOTIFY=SUCCESS,SUCCESS", "RCPT TO:<a@b.c> NOTIFY",
        "RCPT TO:<a@b.c> ORCPT=a@b.c", "RCPT TO:<a@b.c> ORCPT=rfc822;", "RCPT TO:<a@b.c> ORCPT=;a@b.c",
        "RCPT TO:<a@b.c> NOTIFY=NEVER NOTIFY=NEVER"})
    void malformedDsnParametersAre501(String line) {
        assertThat(error(line).reply().code()).isEqualTo(501);
    }

    @Test
    void requireTlsTakesNoValue() {
        assertThat(((SmtpCommand.MailFrom) parsed("MAIL FROM:<a@b.c> requiretls")).parameters().requireTls()).isTrue();
        assertThat(error("MAIL FROM:<a@b.c> REQUIRETLS=yes").reply().code()).isEqualTo(501);
    }

    @Test
    void anEnvelopeIdOverAHundredCharactersIsRefused() {
        assertThat(parsed("MAIL FROM:<a@b.c> ENVID=" + "x".repeat(100))).isInstanceOf(SmtpCommand.MailFrom.class);
        assertThat(error("MAIL FROM:<a@b.c> ENVID=" + "x".repeat(101)).reply().code()).isEqualTo(501);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM:<a@b.c> SIZE", "MAIL FROM:<a@b.c> SIZE=", "MAIL FROM:<a@b.c> SIZE=12x",
        "MAIL FROM:<a@b.c> SIZE=123456789012345678901", "MAIL FROM:<a@b.c> BODY=9BIT", "MAIL FROM:<a@b.c> SMTPUTF8=yes",
        "MAIL FROM:<a@b.c> SIZE=1 SIZE=2", "MAIL FROM:<a@b.c>SIZE=1", "MAIL FROM:<a@b.c> =x", "MAIL <a@b.c>",
        "MAIL TO:<a@b.c>", "MAIL", "RCPT FROM:<a@b.c>", "DATA now", "RSET x", "QUIT please", "STARTTLS x",
        "VRFY", "EHLO", "HELO", "EHLO a b", "EHLO bad!name", "EHLO [300.1.1.1]", "BDAT", "BDAT x", "BDAT -1",
        "BDAT 10 LASTLY", "BDAT 10 LAST extra", "BDAT 1234567890123456789"})
    void syntaxErrors(String line) {
        assertThat(CommandParser.parse(line)).isInstanceOf(ParseResult.Invalid.class);
        assertThat(error(line).reply().code()).isIn(501, 555);
    }

    @Test
    void senderSyntaxErrorsUseTheSenderEnhancedCode() {
        assertThat(error("MAIL FROM:a@b.c")).isEqualTo(ParseError.BAD_SENDER_SYNTAX);
        assertThat(error("MAIL FROM:<a@b.c")).isEqualTo(ParseError.BAD_SENDER_SYNTAX);
        assertThat(ParseError.BAD_SENDER_SYNTAX.reply().format()).isEqualTo("501 5.1.7 Bad sender address syntax\r\n");
    }

    @Test
    void unknownAndEmptyCommands() {
        assertThat(error("EXPN staff")).isEqualTo(ParseError.UNKNOWN_COMMAND);
        assertThat(error("")).isEqualTo(ParseError.UNKNOWN_COMMAND);
        assertThat(error("GET / HTTP/1.1")).isEqualTo(ParseError.UNKNOWN_COMMAND);
        assertThat(error(" MAIL FROM:<a@b.c>")).isEqualTo(ParseError.UNKNOWN_COMMAND);
        assertThat(error("NOOP\u0000")).isEqualTo(ParseError.BAD_CHARACTERS);
    }

    @Test
    void tolerantButNotSloppy() {
        assertThat(sender("MAIL FROM: <a@b.c>")).isEqualTo("a@b.c"); // space after colon: common and harmless
        assertThat(parsed("QUIT  \t")).isEqualTo(new SmtpCommand.Quit()); // RFC 5321 §4.1.1 trailing white space
        assertThat(parsed("EHLO client_host.local")).isEqualTo(new SmtpCommand.Ehlo("client_host.local"));
        assertThat(parsed("NOOP anything at all")).isEqualTo(new SmtpCommand.Noop());
        assertThat(parsed("HELP mail")).isEqualTo(new SmtpCommand.Help(Optional.of("mail")));
        assertThat(parsed("VRFY root")).isEqualTo(new SmtpCommand.Vrfy("root"));
        assertThat(parsed("STARTTLS")).isEqualTo(new SmtpCommand.StartTls());
    }

    @Test
    void bdat() {
        assertThat(parsed("BDAT 1000")).isEqualTo(new SmtpCommand.Bdat(1000, false));
        assertThat(parsed("BDAT 0 LAST")).isEqualTo(new SmtpCommand.Bdat(0, true));
        assertThat(parsed("bdat 42 last")).isEqualTo(new SmtpCommand.Bdat(42, true));
    }

    @Test
    void smtpUtf8Addresses() {
        byte[] line = "MAIL FROM:<jöran@bücher.example> SMTPUTF8".getBytes(StandardCharsets.UTF_8);
        SmtpCommand.MailFrom mail = (SmtpCommand.MailFrom) ((ParseResult.Parsed) CommandParser.parse(line)).command();
        assertThat(mail.reversePath().orElseThrow().address()).isEqualTo("jöran@bücher.example");
        assertThat(mail.parameters().smtpUtf8()).isTrue();
        // RFC 6531 §3.5: without the parameter, a non-ASCII reverse path is refused with 553 5.6.7
        assertThat(error("MAIL FROM:<jöran@example.com>")).isEqualTo(ParseError.NON_ASCII_ADDRESS);
        assertThat(ParseError.NON_ASCII_ADDRESS.reply().format()).startsWith("553 5.6.7 ");
        // RCPT is parsed; the session checks it against the transaction's SMTPUTF8 flag
        Mailbox rcpt = ((SmtpCommand.RcptTo) parsed("RCPT TO:<\"jö ran\"@Bücher.example>")).recipient();
        assertThat(rcpt.isAscii()).isFalse();
        assertThat(rcpt.address()).isEqualTo("\"jö ran\"@bücher.example");
        assertThat(error("EHLO bücher.example")).isEqualTo(ParseError.SYNTAX);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] line = {'M', 'A', 'I', 'L', ' ', 'F', 'R', 'O', 'M', ':', '<', (byte) 0xff, '@', 'x', '>'};
        assertThat(((ParseResult.Invalid) CommandParser.parse(line)).error()).isEqualTo(ParseError.BAD_CHARACTERS);
    }

    @Test
    void invalidResultsNameTheVerbWhenKnown() {
        assertThat(CommandParser.parse("RCPT TO:<bad")).isEqualTo(
                new ParseResult.Invalid(ParseError.BAD_RECIPIENT_SYNTAX, Optional.of(Verb.RCPT)));
        assertThat(CommandParser.parse("FOO")).isEqualTo(new ParseResult.Invalid(ParseError.UNKNOWN_COMMAND, Optional.empty()));
    }

    @Test
    void everyCommandReportsItsVerb() {
        assertThat(parsed("HELO x").verb()).isEqualTo(Verb.HELO);
        assertThat(parsed("MAIL FROM:<>").verb()).isEqualTo(Verb.MAIL);
        assertThat(parsed("BDAT 1").verb()).isEqualTo(Verb.BDAT);
        assertThat(parsed("STARTTLS").verb()).isEqualTo(Verb.STARTTLS);
    }
}
