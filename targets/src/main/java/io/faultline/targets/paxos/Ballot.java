package io.faultline.targets.paxos;

/**
 * A proposal number: a round, and the proposer's position among the members to break ties, so that
 * no two proposers ever use the same ballot. Ordered by round, then by proposer.
 */
record Ballot(long round, int proposer) implements Comparable<Ballot> {
  /** Lower than every ballot a proposer uses. */
  static final Ballot ZERO = new Ballot(0, -1);

  @Override
  public int compareTo(Ballot o) {
    int byRound = Long.compare(round, o.round);
    return byRound != 0 ? byRound : Integer.compare(proposer, o.proposer);
  }

  boolean above(Ballot o) {
    return compareTo(o) > 0;
  }

  boolean atLeast(Ballot o) {
    return compareTo(o) >= 0;
  }

  /** One number for observations and status: distinct ballots give distinct numbers. */
  long asLong() {
    return round * 256 + proposer + 1;
  }

  @Override
  public String toString() {
    return round + "." + proposer;
  }
}
