package io.faultline.targets.raft;

import io.faultline.targets.kv.KvStore;

import io.faultline.targets.node.Message;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The leader sends its state machine as of {@code lastIncludedIndex} to a follower that needs entries
 * the leader has already compacted away. Sent whole: the bundled key/value state is small.
 *
 * @param state the key/value image, numbers and sets as {@link KvStore#image()} makes it; callers
 *     hand over an unmodifiable map
 */
record InstallSnapshot(
    long term,
    String leader,
    long lastIncludedIndex,
    long lastIncludedTerm,
    SortedMap<String, Object> state,
    long round)
    implements Message {
  InstallSnapshot {
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(state, "state");
  }
}
