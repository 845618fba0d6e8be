package io.faultline.checkers.linear;

import io.faultline.checkers.Validity;

/**
 * The verdict for one independently checked part of a history.
 *
 * @param partition the key, or null when the history has no keys
 * @param validity true, false, or unknown (timed out, out of memory budget)
 * @param reason why it is false or unknown; empty when true
 * @param operations how many operations the part had
 * @param configurations how many search configurations the check explored
 * @param counterexample the counterexample when false, else null
 */
public record PartitionVerdict(
    Object partition,
    Validity validity,
    String reason,
    int operations,
    long configurations,
    Counterexample counterexample) {}
