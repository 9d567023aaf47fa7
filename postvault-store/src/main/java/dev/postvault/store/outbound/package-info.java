/**
 * The outbound queue: mail waiting to be delivered to other servers, sealed at rest under the server
 * key (ARCHITECTURE.md: queues the server itself must read), one file per message named by a random
 * id, with its per-recipient state beside it.
 */
package dev.postvault.store.outbound;
