/**
 * DKIM (RFC 6376) with RSA-SHA256 and Ed25519-SHA256 (RFC 8463): canonicalization, signing, and the
 * key records DNS publishes. Written here rather than taken from a library because no maintained Java
 * library signs with Ed25519 (docs/architecture.md says more); verification (issue 14) shares the
 * canonicalization.
 */
package dev.postvault.mime.dkim;
