package io.faultline.targets.raft;

import io.faultline.targets.node.Message;
import java.util.Objects;

/**
 * A candidate asks for a vote. With {@code preVote} it only asks whether it could win in {@code
 * term} (its current term plus one) and neither side changes its term or vote.
 */
record RequestVote(long term, String candidate, long lastLogIndex, long lastLogTerm, boolean preVote)
    implements Message {
  RequestVote {
    Objects.requireNonNull(candidate, "candidate");
  }
}
