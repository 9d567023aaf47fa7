package dev.postvault.pop3.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.pop3.codec.Pop3CommandParser.Parsed;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 1939 §5–§7, RFC 2449 and RFC 5034 examples as parser tests, and the errors around them. */
class Pop3CommandParserTest {
    private static Pop3Command ok(String line, Pop3State state) {
        Parsed p = Pop3CommandParser.parse(line, state);
        assertThat(p).as(line).isInstanceOf(Parsed.Command.class);
        return ((Parsed.Command) p).command();
    }

    private static String error(String line, Pop3State state) {
        Parsed p = Pop3CommandParser.parse(line, state);
        assertThat(p).as(line).isInstanceOf(Parsed.Error.class);
        return ((Parsed.Error) p).message();
    }

    @Test
    void rfc1939Examples() {
        var t = Pop3State.TRANSACTION;
        var a = Pop3State.AUTHORIZATION;
        assertThat(ok("USER mrose", a)).isEqualTo(new Pop3Command.User("mrose"));
        assertThat(ok("PASS secret", a)).isEqualTo(new Pop3Command.Pass("secret"));
        assertThat(ok("STAT", t)).isEqualTo(new Pop3Command.Stat());
        assertThat(ok("LIST", t)).isEqualTo(new Pop3Command.ListMessages(OptionalInt.empty()));
        assertThat(ok("LIST 2", t)).isEqualTo(new Pop3Command.ListMessages(OptionalInt.of(2)));
        assertThat(ok("RETR 1", t)).isEqualTo(new Pop3Command.Retr(1));
        assertThat(ok("DELE 1", t)).isEqualTo(new Pop3Command.Dele(1));
        assertThat(ok("NOOP", t)).isEqualTo(new Pop3Command.Noop());
        assertThat(ok("RSET", t)).isEqualTo(new Pop3Command.Rset());
        assertThat(ok("TOP 1 10", t)).isEqualTo(new Pop3Command.Top(1, 10));
        assertThat(ok("TOP 100 3", t)).isEqualTo(new Pop3Command.Top(100, 3));
        assertThat(ok("UIDL", t)).isEqualTo(new Pop3Command.Uidl(OptionalInt.empty()));
        assertThat(ok("UIDL 2", t)).isEqualTo(new Pop3Command.Uidl(OptionalInt.of(2)));
        assertThat(ok("QUIT", t)).isEqualTo(new Pop3Command.Quit());
        assertThat(ok("QUIT", a)).isEqualTo(new Pop3Command.Quit());
    }

    @Test
    void rfc2449And5034And2595Examples() {
        var a = Pop3State.AUTHORIZATION;
        assertThat(ok("CAPA", a)).isEqualTo(new Pop3Command.Capa());
        assertThat(ok("CAPA", Pop3State.TRANSACTION)).isEqualTo(new Pop3Command.Capa());
        assertThat(ok("STLS", a)).isEqualTo(new Pop3Command.Stls());
        assertThat(ok("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=", a))
                .isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("dGVzdAB0ZXN0AHRlc3Q=")));
        assertThat(ok("AUTH PLAIN", a)).isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.empty()));
        assertThat(ok("AUTH PLAIN =", a)).isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("=")));
        assertThat(ok("AUTH", a)).isEqualTo(new Pop3Command.Auth(Optional.empty(), Optional.empty()));
    }

    @Test
    void keywordsAreCaseInsensitiveAndPassKeepsSpaces() {
        assertThat(ok("retr 3", Pop3State.TRANSACTION)).isEqualTo(new Pop3Command.Retr(3));
        assertThat(ok("Top 3 0", Pop3State.TRANSACTION)).isEqualTo(new Pop3Command.Top(3, 0));
        assertThat(ok("PASS  two  spaces ", Pop3State.AUTHORIZATION)).isEqualTo(new Pop3Command.Pass(" two  spaces "));
        assertThat(ok("STAT ", Pop3State.TRANSACTION)).isEqualTo(new Pop3Command.Stat());
        assertThat(ok("USER \u00e9l\u00e8ve@example.org", Pop3State.AUTHORIZATION)).isEqualTo(new Pop3Command.User("\u00e9l\u00e8ve@example.org"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FOO|AUTHORIZATION|unknown command",
        "''|AUTHORIZATION|unknown command",
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb|AUTHORIZATION|unknown command",
        "LAST|TRANSACTION|unknown command",
        "RETR 1|AUTHORIZATION|RETR is not allowed before login",
        "USER a|TRANSACTION|USER is not allowed after login",
        "STLS|TRANSACTION|STLS is not allowed after login",
        "RETR|TRANSACTION|RETR: message number expected",
        "RETR 1 2|TRANSACTION|RETR: message number expected",
        "RETR -1|TRANSACTION|RETR: invalid number",
        "RETR +1|TRANSACTION|RETR: invalid number",
        "RETR 0|TRANSACTION|RETR: message numbers start at 1",
        "RETR 1234567890|TRANSACTION|RETR: invalid number",
        "TOP 1 -1|TRANSACTION|TOP: invalid number",
        "TOP 1|TRANSACTION|TOP: message number and line count expected",
        "LIST 1 2|TRANSACTION|LIST: at most one message number expected",
        "STAT 1|TRANSACTION|STAT: no arguments expected",
        "USER|AUTHORIZATION|USER: one argument expected",
        "USER a b|AUTHORIZATION|USER: one argument expected",
        "PASS|AUTHORIZATION|PASS: argument expected",
        "AUTH PLAIN a b|AUTHORIZATION|AUTH: mechanism and at most one initial response expected",
    })
    void errorsSayWhatIsWrong(String line, Pop3State state, String message) {
        assertThat(error(line, state)).isEqualTo(message);
    }

    @Test
    void everyTableEntryNamesItsRfc() {
        for (CommandTable c : CommandTable.values()) assertThat(c.rfc()).startsWith("RFC ");
    }
}
