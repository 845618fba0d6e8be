package io.faultline.targets.gossip;

import io.faultline.targets.node.Message;
import java.util.List;
import java.util.SortedMap;

/** What gossip nodes say to each other in one push-pull round. */
sealed interface GossipMessage extends Message {
  /** Opens a round: a hash of the sender's state of every key it gossips. */
  record Digest(SortedMap<String, Long> hashes) implements GossipMessage {}

  /**
   * The states of the keys whose hashes differ, pushed; and the keys whose states the sender wants
   * back (pulled), empty when the round ends here.
   */
  record Delta(List<KeyState> states, List<String> wanted) implements GossipMessage {}

  record KeyState(String key, Crdt state) {}
}
