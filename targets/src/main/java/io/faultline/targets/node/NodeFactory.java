package io.faultline.targets.node;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node code of a bundled target (raft, paxos, ...): how to build one node and how its messages
 * travel as bytes. Registered as a {@link java.util.ServiceLoader} service, so that the node jar
 * ({@code --target NAME}) and the harness's simulator find it by name.
 */
public interface NodeFactory {

  /** The name used on command lines: {@code --target raft}. */
  String name();

  /** The planted bugs this target knows, by name; each documented where it is implemented. */
  List<String> bugs();

  /**
   * A fresh node. {@code bugs} holds names from {@link #bugs()}; {@code settings} holds
   * target-specific options (for example {@code read=lease}); unknown names throw
   * {@link IllegalArgumentException} with a message naming them.
   */
  Node newNode(Set<String> bugs, Map<String, String> settings);

  MessageCodec codec();
}
