package io.faultline.harness.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a test asks of a target's nodes and clients, apart from where they run.
 *
 * @param bugs planted bugs to switch on
 * @param settings target settings ({@code --set key=value}), sorted by key
 * @param clientTimeout how long one operation may take before the client gives it up as {@code info}
 * @param seed the run's seed, from which each node's own seed is drawn
 */
public record Setup(List<String> bugs, Map<String, String> settings, Duration clientTimeout, long seed) {
  public Setup {
    bugs = List.copyOf(bugs);
    settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
  }
}
