package io.faultline.targets.raft;

import io.faultline.targets.node.Message;

/**
 * A vote, or its refusal. A granted pre-vote carries the term it was asked for; every other answer
 * carries the voter's current term, which tells a stale candidate to catch up.
 */
record RequestVoteResponse(long term, boolean granted, boolean preVote) implements Message {}
