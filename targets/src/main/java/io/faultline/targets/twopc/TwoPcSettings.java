package io.faultline.targets.twopc;

import io.faultline.targets.node.PlantedBug;
import io.faultline.targets.node.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's options, parsed once from the {@code --set name=value} pairs.
 *
 * @param shards how many shards the key space is split into (0: one per member); shard i lives on
 *     the i-th member
 * @param range true to split by key ranges at {@code splits}, false to split by hash
 * @param splits for range partitioning, the first key of shards 1 .. shards-1, increasing
 * @param prepareTimeoutMs how long a coordinator waits for votes before it aborts
 * @param queryIntervalMs how often a prepared participant with no decision asks its coordinator
 * @param bugs the planted bugs
 */
record TwoPcSettings(int shards, boolean range, List<String> splits, int prepareTimeoutMs, int queryIntervalMs,
    Set<TwoPcBug> bugs) {

  static final List<String> NAMES = List.of("shards", "partitioning", "splits", "prepare-timeout", "query-interval");

  static TwoPcSettings parse(Set<String> bugNames, Map<String, String> settings) {
    Set<TwoPcBug> bugs = PlantedBug.parse(TwoPcBug.class, "twopc", bugNames);
    Settings given = Settings.of("twopc", settings, NAMES);
    String partitioning = given.text("partitioning", "hash");
    if (!partitioning.equals("hash") && !partitioning.equals("range")) {
      throw given.refused("partitioning must be hash or range, got '" + partitioning + "'");
    }
    int shards = given.has("shards") ? given.positive("shards", 0) : 0;
    List<String> splits = new ArrayList<>();
    String splitText = given.text("splits", null);
    if (partitioning.equals("range")) {
      if (splitText == null || splitText.isBlank()) {
        throw new IllegalArgumentException("twopc partitioning=range needs splits, the first key of each shard after the"
            + " first: --set splits=k2,k5");
      }
      for (String s : splitText.split(",")) splits.add(s.strip());
      for (int i = 1; i < splits.size(); i++) {
        if (splits.get(i - 1).compareTo(splits.get(i)) >= 0) {
          throw new IllegalArgumentException("twopc splits must increase: '" + splits.get(i - 1) + "' is not before '"
              + splits.get(i) + "'");
        }
      }
      if (shards != 0 && shards != splits.size() + 1) {
        throw new IllegalArgumentException("twopc shards=" + shards + " does not match " + splits.size()
            + " split points (which make " + (splits.size() + 1) + " shards)");
      }
      shards = splits.size() + 1;
    } else if (splitText != null) {
      throw new IllegalArgumentException("twopc splits are for partitioning=range, not hash");
    }
    return new TwoPcSettings(shards, partitioning.equals("range"), List.copyOf(splits),
        given.positive("prepare-timeout", 500), given.positive("query-interval", 200), Set.copyOf(bugs));
  }

  boolean has(TwoPcBug bug) {
    return bugs.contains(bug);
  }

  /** The shard of {@code key} among {@code count}. */
  int shardOf(String key, int count) {
    if (!range) return Math.floorMod(key.hashCode(), count);
    int shard = 0;
    for (String split : splits) if (key.compareTo(split) >= 0) shard++;
    return shard;
  }
}
