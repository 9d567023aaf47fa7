package dev.postvault.smtp.session;

import dev.postvault.smtp.codec.Verb;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.postvault.smtp.session.SessionState.BDAT;
import static dev.postvault.smtp.session.SessionState.GREETED;
import static dev.postvault.smtp.session.SessionState.MAIL;
import static dev.postvault.smtp.session.SessionState.RCPT;
import static dev.postvault.smtp.session.SessionState.READY;

/** The one declarative table of which command is legal in which state, and why. */
public final class CommandTable {

    /**
     * @param verb the command
     * @param allowedIn states in which it is accepted; elsewhere the reply is 503 5.5.1
     * @param needsEhlo it belongs to an extension and so is only valid after EHLO (RFC 5321 §4.1.1.1)
     * @param rfc the section defining the rule
     */
    public record Rule(Verb verb, Set<SessionState> allowedIn, boolean needsEhlo, String rfc) {
        public Rule {
            allowedIn = Set.copyOf(allowedIn);
        }

        public boolean permits(SessionState state, boolean ehloGiven) {
            return allowedIn.contains(state) && (ehloGiven || !needsEhlo);
        }
    }

    private static final Set<SessionState> ANY = EnumSet.allOf(SessionState.class);

    private static final Map<Verb, Rule> RULES = table(
            new Rule(Verb.EHLO, ANY, false, "RFC 5321 §4.1.4: EHLO may be repeated; it resets the transaction"),
            new Rule(Verb.HELO, ANY, false, "RFC 5321 §4.1.4"),
            new Rule(Verb.MAIL, EnumSet.of(READY), false, "RFC 5321 §4.1.4: after EHLO/HELO, not nested"),
            new Rule(Verb.RCPT, EnumSet.of(MAIL, RCPT), false, "RFC 5321 §4.1.1.3: after MAIL"),
            new Rule(Verb.DATA, EnumSet.of(RCPT), false, "RFC 5321 §4.1.1.4; RFC 3030 §2: not mixed with BDAT"),
            new Rule(Verb.BDAT, EnumSet.of(RCPT, BDAT), true, "RFC 3030 §2"),
            new Rule(Verb.RSET, ANY, false, "RFC 5321 §4.1.1.5: any time"),
            new Rule(Verb.NOOP, ANY, false, "RFC 5321 §4.1.1.9: any time"),
            new Rule(Verb.QUIT, ANY, false, "RFC 5321 §4.1.1.10: any time"),
            new Rule(Verb.VRFY, ANY, false, "RFC 5321 §4.1.4: no effect on the transaction"),
            new Rule(Verb.HELP, ANY, false, "RFC 5321 §4.1.4: no effect on the transaction"),
            new Rule(Verb.STARTTLS, EnumSet.of(READY), true, "RFC 3207 §4: after EHLO, outside a transaction"),
            new Rule(Verb.AUTH, EnumSet.of(READY), true, "RFC 4954 §4: after EHLO, not during a mail transaction"));

    private CommandTable() {}

    public static Rule rule(Verb verb) {
        return RULES.get(verb);
    }

    private static Map<Verb, Rule> table(Rule... rules) {
        Map<Verb, Rule> map = new EnumMap<>(Verb.class);
        for (Rule rule : rules) {
            if (map.put(rule.verb(), rule) != null) {
                throw new IllegalStateException("duplicate rule for " + rule.verb());
            }
        }
        if (map.size() != Verb.values().length) {
            throw new IllegalStateException("every verb needs a rule");
        }
        return Map.copyOf(map);
    }
}
