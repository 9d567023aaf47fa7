/**
 * Accounts: creating aliases with their keys, logging in (Argon2id, verifier, DEK unwrap), the
 * in-memory login cache, and password changes that re-wrap the DEK in O(1) (ARCHITECTURE.md §2).
 */
package dev.postvault.store.account;
