package dev.postvault.pop3.codec;

/** Extended response codes (RFC 2449 §8, RESP-CODES), sent in brackets after -ERR. */
public enum ResponseCode {
    /** RFC 3206 §4: the credentials were wrong; retrying with the same ones will not help. */
    AUTH("AUTH"),
    /** RFC 2449 §8.1.1: another session holds the maildrop. */
    IN_USE("IN-USE"),
    /** RFC 3206 §5: a temporary server problem; try again later. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206 §5: a permanent server problem. */
    SYS_PERM("SYS/PERM");

    private final String wire;

    ResponseCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
