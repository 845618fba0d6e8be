package io.faultline.targets.twopc;

import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.PlantedBug;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The bundled sharded key/value store with two-phase commit, {@code --target twopc}. */
public final class TwoPcNodeFactory implements NodeFactory {
  private final TwoPcCodec codec = new TwoPcCodec();

  @Override
  public String name() {
    return "twopc";
  }

  /** {@code no-decision-log}, {@code unilateral-abort}, {@code majority-commit}, {@code presume-commit}, {@code early-read-release}: see {@link TwoPcBug}. */
  @Override
  public List<String> bugs() {
    return PlantedBug.names(TwoPcBug.class);
  }

  /**
   * A fresh node. Settings: {@code shards} (default one per node), {@code partitioning} (hash |
   * range), {@code splits} (for range: the first key of each shard after the first, increasing),
   * {@code prepare-timeout} (ms, 500), {@code query-interval} (ms, 200).
   *
   * @throws IllegalArgumentException naming an unknown bug or setting, or a bad value
   */
  @Override
  public Node newNode(Set<String> bugs, Map<String, String> settings) {
    return new TwoPcNode(TwoPcSettings.parse(bugs, settings));
  }

  @Override
  public MessageCodec codec() {
    return codec;
  }

  /**
   * Refuses a shard count above the cluster's size: each shard lives on its own node.
   *
   * @throws IllegalArgumentException naming the setting and the fix
   */
  public static void checkShards(Map<String, String> settings, int nodes) {
    int shards = TwoPcSettings.parse(Set.of(), settings).shards();
    if (shards > nodes) {
      throw new IllegalArgumentException("twopc shards=" + shards + " needs at least " + shards + " nodes, not " + nodes
          + "; use --nodes " + shards + " or fewer shards");
    }
  }
}
