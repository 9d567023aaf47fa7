/**
 * POP3 sessions over the store: login (through the node's login throttle), the maildrop snapshot
 * and its lock, and the UPDATE state. One session per connection on its own virtual thread; the
 * maildrop locks are shared by all sessions of a node.
 */
package dev.postvault.pop3.session;
