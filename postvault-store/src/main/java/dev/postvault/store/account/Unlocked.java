package dev.postvault.store.account;

import dev.postvault.crypto.SecretKey32;
import dev.postvault.store.control.AliasRecord;

/** The result of a successful login: the alias and its mailbox key, held in memory for the session. */
public record Unlocked(AliasRecord alias, SecretKey32 dek) {
    @Override
    public String toString() {
        return "Unlocked[" + alias.id() + "]";
    }
}
