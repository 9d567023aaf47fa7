/**
 * Wiring: the one place where Postvault's parts are constructed and connected (STYLE.md §11), its
 * configuration (defaults, config file, environment, flags), TLS material, and the listeners.
 */
package dev.postvault.server;
