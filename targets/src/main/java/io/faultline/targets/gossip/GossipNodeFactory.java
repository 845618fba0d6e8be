package io.faultline.targets.gossip;

import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.PlantedBug;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The bundled gossip store, {@code --target gossip}. Found through the ServiceLoader. */
public final class GossipNodeFactory implements NodeFactory {
  private final GossipCodec codec = new GossipCodec();

  @Override
  public String name() {
    return "gossip";
  }

  /** {@code partial-sync}, {@code bad-merge}, {@code early-ack}: see {@link GossipBug}. */
  @Override
  public List<String> bugs() {
    return PlantedBug.names(GossipBug.class);
  }

  /**
   * A fresh node. Settings: {@code clock} (wall | lamport | hlc), {@code sets} (or-set | g-set),
   * {@code gossip-interval} (ms, 100), {@code compact-every} (log records, 2000).
   *
   * @throws IllegalArgumentException naming an unknown bug or setting, or a bad value
   */
  @Override
  public Node newNode(Set<String> bugs, Map<String, String> settings) {
    return new GossipNode(GossipSettings.parse(bugs, settings));
  }

  @Override
  public MessageCodec codec() {
    return codec;
  }
}
