/**
 * Histories as plain data: {@link io.faultline.checkers.history.Op} records, paired into
 * {@link io.faultline.checkers.history.Operation}s by a validated
 * {@link io.faultline.checkers.history.History}, and read from or written to Faultline's JSON lines,
 * Jepsen EDN, Jepsen log lines and Porcupine's key/value lines.
 */
package io.faultline.checkers.history;
