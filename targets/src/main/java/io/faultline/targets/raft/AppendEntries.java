package io.faultline.targets.raft;

import io.faultline.targets.node.Message;
import java.util.List;
import java.util.Objects;

/**
 * The leader replicates {@code entries} after {@code prevLogIndex}, or, with none, just asserts its
 * leadership (a heartbeat). {@code round} numbers the leader's confirmation rounds: a follower echoes
 * it so the leader knows which of its rounds a majority has seen (ReadIndex and leases).
 */
record AppendEntries(
    long term,
    String leader,
    long prevLogIndex,
    long prevLogTerm,
    List<Entry> entries,
    long leaderCommit,
    long round)
    implements Message {
  AppendEntries {
    Objects.requireNonNull(leader, "leader");
    entries = List.copyOf(entries);
  }
}
