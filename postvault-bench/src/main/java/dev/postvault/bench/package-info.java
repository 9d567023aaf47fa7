/**
 * Foundation benchmarks: a plain-Java harness (warm-up, then medians and percentiles over timed
 * repetitions) that drives the real store through {@link dev.postvault.server.Node}, with the
 * production Argon2id cost and mailbox limits.
 *
 * <p>{@link dev.postvault.bench.FoundationBench} is the entry point ({@code run-foundation.sh}). It
 * measures mailbox open after login, first and cached login, spool seal and drain throughput, and the
 * on-disk size of de-duplicated attachments, and checks each against its target (docs/benchmarks.md).
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>Each benchmark works in a fresh temporary data directory and deletes it afterwards
 *       ({@link dev.postvault.bench.DataDir}).</li>
 *   <li>A benchmark that moves mail also verifies it: every message comes back byte for byte, or the
 *       run fails with {@link dev.postvault.bench.BenchmarkFailure} (exit status 1). A fast store that
 *       loses mail is not a result.</li>
 *   <li>Everything runs on the calling thread, except the spool's concurrent pipeline (virtual
 *       threads enqueuing while another drains, as SMTP and IMAP sessions do); timings use
 *       {@link System#nanoTime()}. Most of what is measured is I/O (fsync, SQLite pages), so JMH's
 *       protections against dead-code elimination buy little here; JIT warm-up is done explicitly
 *       before each timed phase.</li>
 * </ul>
 */
package dev.postvault.bench;
