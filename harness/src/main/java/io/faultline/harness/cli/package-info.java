/**
 * The {@code faultline} command: subcommands, options and exit codes (0 valid, 1 invalid, 2
 * unknown, 254 bad arguments or input, 255 internal error, as in Jepsen).
 */
package io.faultline.harness.cli;
