package io.faultline.targets.paxos;

import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.PlantedBug;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The bundled Multi-Paxos key/value store, {@code --target paxos}. Found through the ServiceLoader. */
public final class PaxosNodeFactory implements NodeFactory {
  private final PaxosCodec codec = new PaxosCodec();

  @Override
  public String name() {
    return "paxos";
  }

  /** {@code forget-promise}, {@code ignore-accepted}, {@code stale-read}, {@code small-quorum}: see {@link PaxosBug}. */
  @Override
  public List<String> bugs() {
    return PlantedBug.names(PaxosBug.class);
  }

  /**
   * A fresh node. Settings: {@code read} (log | lease), {@code lease-drift} (fraction, 0.1),
   * {@code election-timeout} (minimum, ms, 150), {@code heartbeat} (ms, 50), {@code
   * checkpoint-every} (applied slots, 1000), {@code max-catch-up} (chosen values per reply, 256).
   *
   * @throws IllegalArgumentException naming an unknown bug or setting, or a bad value
   */
  @Override
  public Node newNode(Set<String> bugs, Map<String, String> settings) {
    return new PaxosNode(PaxosSettings.parse(bugs, settings));
  }

  @Override
  public MessageCodec codec() {
    return codec;
  }
}
