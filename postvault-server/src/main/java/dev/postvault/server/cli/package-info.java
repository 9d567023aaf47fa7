/**
 * The {@code postvault} command line (picocli): {@code serve}, {@code domain}, {@code alias}. Every
 * command takes {@code --data-dir} (or {@code POSTVAULT_DATA_DIR}); options also come from
 * {@code POSTVAULT_*} environment variables and a config file. Exit codes are listed in
 * {@link dev.postvault.server.cli.ExitCodes} and docs/cli.md.
 */
package dev.postvault.server.cli;
