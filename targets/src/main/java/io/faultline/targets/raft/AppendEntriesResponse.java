package io.faultline.targets.raft;

import io.faultline.targets.node.Message;

/**
 * A follower's answer to {@link AppendEntries}. On success, its log matches the leader's up to
 * {@code matchIndex}, durably. On rejection, {@code conflictIndex} is where the leader should try
 * next (the follower's last index plus one, or the first index of {@code conflictTerm}, the term of
 * the follower's entry that did not match), so that backtracking skips a whole term at a time.
 */
record AppendEntriesResponse(
    long term, boolean success, long matchIndex, long conflictIndex, long conflictTerm, long round)
    implements Message {}
