package dev.postvault.server.cli;

import dev.postvault.store.StoreException;

/** Exit codes scripts can rely on (documented in docs/cli.md). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int ALREADY_EXISTS = 4;
    public static final int AUTHENTICATION_FAILED = 5;
    public static final int IN_USE = 6;
    public static final int INVALID = 7;
    /** sysexits.h EX_TEMPFAIL: try again later (busy database, full disk). */
    public static final int TEMPORARY = 75;

    private ExitCodes() {}

    static int of(dev.postvault.backup.BackupException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> NOT_FOUND;
            case UNAVAILABLE -> TEMPORARY;
            case CORRUPT -> ERROR;
        };
    }

    static int of(StoreException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> ALREADY_EXISTS;
            case AUTHENTICATION_FAILED -> AUTHENTICATION_FAILED;
            case IN_USE, HAS_CHILDREN -> IN_USE;
            case INVALID, TOO_BIG, OVER_QUOTA -> INVALID;
            case TEMPORARY, DISK_FULL, THROTTLED -> TEMPORARY;
            case CORRUPT -> ERROR;
        };
    }
}
