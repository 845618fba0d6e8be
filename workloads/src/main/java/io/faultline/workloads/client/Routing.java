package io.faultline.workloads.client;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;

/**
 * How a worker chooses the node an operation goes to first ({@code --routing NAME}). Whatever the
 * choice, a client still follows leader hints from there; routing only decides where to start, so
 * it changes throughput and which node's view a read sees, never an operation's meaning.
 */
public enum Routing {
  /** A node drawn uniformly from the caller's seeded source for each operation. */
  RANDOM("random"),
  /** The nodes in turn, from a starting node drawn once, so that workers do not move in lockstep. */
  ROUND_ROBIN("round-robin"),
  /** The node with the lowest moving average latency; a node not yet tried goes first. */
  LEAST_LATENCY("least-latency"),
  /** The node last seen acting as leader; round-robin until one is seen. */
  LEADER("leader"),
  /**
   * A node drawn in proportion to its weight, as {@code weighted:n1=3,n2=1} gives them; a node not
   * named weighs 1, and one of weight 0 is never the first choice.
   */
  WEIGHTED("weighted");

  private final String wireName;

  Routing(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the command line, such as {@code round-robin}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The routing called {@code name}.
   *
   * @throws IllegalArgumentException with a one-line message naming the known routings
   */
  public static Routing parse(String name) {
    if (name != null && (name.equals("weighted") || name.startsWith("weighted:"))) {
      weights(name);
      return WEIGHTED;
    }
    StringBuilder known = new StringBuilder();
    for (Routing r : values()) {
      if (r.wireName.equals(name)) return r;
      known.append(known.length() == 0 ? "" : ", ").append(r.wireName);
    }
    throw new IllegalArgumentException("unknown routing '" + name + "'; expected one of: " + known);
  }

  /**
   * A router for one worker.
   *
   * @param nodes the node ids, in a fixed order (ties go to the earlier one)
   * @param random the run's seeded source; the router's only source of chance, so its picks are
   *     repeatable when the draws from {@code random} are made in a repeatable order
   */
  public Router router(List<String> nodes, Random random) {
    return router(nodes, random, Map.of());
  }

  /** As {@link #router(List, Random)}, with the weights of {@link #weights} for {@link #WEIGHTED}. */
  public Router router(List<String> nodes, Random random, Map<String, Integer> weights) {
    return switch (this) {
      case RANDOM -> new Routers.RandomRouter(nodes, random);
      case ROUND_ROBIN -> new Routers.RoundRobin(nodes, random);
      case LEAST_LATENCY -> new Routers.LeastLatency(nodes);
      case LEADER -> new Routers.Leader(nodes, random);
      case WEIGHTED -> new Routers.Weighted(nodes, random, weights);
    };
  }

  /**
   * The per-node weights of a {@code weighted:NODE=W,...} routing (empty for plain {@code
   * weighted}: every node weighs 1).
   *
   * @throws IllegalArgumentException with one line naming the bad part and the form expected
   */
  public static Map<String, Integer> weights(String routing) {
    Map<String, Integer> weights = new TreeMap<>();
    if (!routing.startsWith("weighted:")) return weights;
    for (String part : routing.substring("weighted:".length()).split(",")) {
      String[] kv = part.split("=", 2);
      int w = -1;
      if (kv.length == 2 && !kv[0].isBlank()) {
        try {
          w = Integer.parseInt(kv[1].strip());
        } catch (NumberFormatException e) {
          w = -1;
        }
      }
      if (w < 0) {
        throw new IllegalArgumentException("routing weight '" + part + "' is not NODE=WEIGHT with a whole number from 0;"
            + " write --routing weighted:n1=3,n2=1");
      }
      weights.put(kv[0].strip(), w);
    }
    return weights;
  }
}
