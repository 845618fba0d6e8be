package io.faultline.targets.node;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kind of node (raft, paxos, ...): how to build one and how its messages travel as bytes.
 */
public interface Protocol {

  /** The name used on command lines: {@code --protocol raft}. */
  String name();

  /** The planted bugs this protocol knows, by name; each documented where it is implemented. */
  List<String> bugs();

  /**
   * A fresh node. {@code bugs} holds names from {@link #bugs()}; {@code settings} holds
   * protocol-specific options (for example {@code read=lease}); unknown names throw
   * {@link IllegalArgumentException} with a message naming them.
   */
  Node newNode(Set<String> bugs, Map<String, String> settings);

  MessageCodec codec();
}
