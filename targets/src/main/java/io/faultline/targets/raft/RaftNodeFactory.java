package io.faultline.targets.raft;

import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.PlantedBug;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The bundled Raft key/value store, {@code --target raft}. Found through the ServiceLoader. */
public final class RaftNodeFactory implements NodeFactory {
  private final RaftCodec codec = new RaftCodec();

  @Override
  public String name() {
    return "raft";
  }

  /** {@code stale-read}, {@code no-fsync}, {@code lease-wallclock}, {@code forget-vote}: see {@link RaftBug}. */
  @Override
  public List<String> bugs() {
    return PlantedBug.names(RaftBug.class);
  }

  /**
   * A fresh node. Settings: {@code read} (read-index | lease), {@code lease-drift} (fraction, 0.1),
   * {@code election-timeout} (minimum, ms, 150), {@code heartbeat} (ms, 50), {@code snapshot-every}
   * (applied entries, 1000), {@code max-batch} (entries per AppendEntries, 256).
   *
   * @throws IllegalArgumentException naming an unknown bug or setting, or a bad value
   */
  @Override
  public Node newNode(Set<String> bugs, Map<String, String> settings) {
    return new RaftNode(RaftSettings.parse(bugs, settings));
  }

  @Override
  public MessageCodec codec() {
    return codec;
  }
}
