/**
 * The control plane: domains, aliases and their key material (salts, verifiers, wrapped DEKs, public
 * keys). {@link dev.postvault.store.control.ControlPlane} is the interface; embedded SQLite encrypted
 * under a server subkey implements it on one node, PostgreSQL will in a cluster, and both run
 * {@code ControlPlaneContract}. Several processes (the server and the command line) may use the same
 * SQLite control plane at once: WAL plus a busy timeout serialises writers, and nothing is cached.
 */
package dev.postvault.store.control;
