package io.faultline.workloads.client;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/** The {@link Router}s behind each {@link Routing}. */
final class Routers {
  private Routers() {}

  private static List<String> checked(List<String> nodes) {
    List<String> copy = List.copyOf(nodes);
    if (copy.isEmpty()) throw new IllegalArgumentException("a router needs at least one node");
    return copy;
  }

  static final class RandomRouter implements Router {
    private final List<String> nodes;
    private final Random random;

    RandomRouter(List<String> nodes, Random random) {
      this.nodes = checked(nodes);
      this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String pick() {
      return nodes.get(random.nextInt(nodes.size()));
    }

    @Override
    public void observe(Op completion, long latencyNanos) {}
  }

  /** Draws a node in proportion to its weight; nodes the weights do not name weigh 1. */
  static final class Weighted implements Router {
    private final List<String> nodes;
    private final Random random;
    private final long[] cumulative;

    Weighted(List<String> nodes, Random random, Map<String, Integer> weights) {
      this.nodes = checked(nodes);
      this.random = Objects.requireNonNull(random, "random");
      for (String named : weights.keySet()) {
        if (!this.nodes.contains(named)) {
          throw new IllegalArgumentException("routing weight for '" + named + "', which is not a node; the nodes are "
              + String.join(", ", this.nodes));
        }
      }
      cumulative = new long[this.nodes.size()];
      long sum = 0;
      for (int i = 0; i < this.nodes.size(); i++) {
        sum += weights.getOrDefault(this.nodes.get(i), 1);
        cumulative[i] = sum;
      }
      if (sum == 0) throw new IllegalArgumentException("routing weights are all 0; give at least one node a weight above 0");
    }

    @Override
    public String pick() {
      long draw = (long) (random.nextDouble() * cumulative[cumulative.length - 1]);
      for (int i = 0; i < cumulative.length; i++) if (draw < cumulative[i]) return nodes.get(i);
      return nodes.get(nodes.size() - 1);
    }

    @Override
    public void observe(Op completion, long latencyNanos) {}
  }

  static final class RoundRobin implements Router {
    private final List<String> nodes;
    private int next;

    RoundRobin(List<String> nodes, Random random) {
      this.nodes = checked(nodes);
      this.next = random.nextInt(this.nodes.size());
    }

    @Override
    public String pick() {
      String node = nodes.get(next);
      next = (next + 1) % nodes.size();
      return node;
    }

    @Override
    public void observe(Op completion, long latencyNanos) {}
  }

  /**
   * An exponentially weighted moving average per node. A completion that is not {@code ok} is
   * charged at least twice the slowest known average: a node that refuses connections answers
   * fastest of all, and must not win for it, while the occasional definite failure of a healthy
   * node (a cas mismatch) only nudges its average.
   */
  static final class LeastLatency implements Router {
    /** Weight of the newest sample: recent enough to follow a leader change within a few ops. */
    static final double WEIGHT = 0.25;

    private final List<String> nodes;
    private final double[] average;
    private final boolean[] known;
    private int picked = -1;

    LeastLatency(List<String> nodes) {
      this.nodes = checked(nodes);
      this.average = new double[this.nodes.size()];
      this.known = new boolean[this.nodes.size()];
    }

    @Override
    public String pick() {
      int best = -1;
      for (int i = 0; i < nodes.size(); i++) {
        if (!known[i]) {
          best = i;
          break;
        }
        if (best < 0 || average[i] < average[best]) best = i;
      }
      picked = best;
      return nodes.get(best);
    }

    @Override
    public void observe(Op completion, long latencyNanos) {
      int at = picked >= 0 ? picked : nodes.indexOf(completion.node());
      picked = -1;
      if (at < 0) return;
      double sample = Math.max(0, latencyNanos);
      if (completion.type() != OpType.OK) {
        double slowest = 0;
        for (int i = 0; i < nodes.size(); i++) if (known[i]) slowest = Math.max(slowest, average[i]);
        sample = Math.max(sample, 2 * slowest);
      }
      average[at] = known[at] ? average[at] + WEIGHT * (sample - average[at]) : sample;
      known[at] = true;
    }
  }

  /**
   * The leader as last seen: the node that acknowledged an update (a read proves nothing, since a
   * node with a planted stale-read bug answers reads anywhere), or a node other than the one picked
   * that gave the final answer, which the client reached by a leader hint. A failure at the leader
   * itself forgets it, since it may have crashed or stepped down; until a leader is known again the
   * picks go round-robin.
   */
  static final class Leader implements Router {
    private final List<String> nodes;
    private final RoundRobin fallback;
    private String leader;
    private String picked;

    Leader(List<String> nodes, Random random) {
      this.nodes = checked(nodes);
      this.fallback = new RoundRobin(this.nodes, random);
    }

    @Override
    public String pick() {
      picked = leader != null ? leader : fallback.pick();
      return picked;
    }

    @Override
    public void observe(Op completion, long latencyNanos) {
      String node = completion.node();
      String from = picked;
      picked = null;
      if (node == null || !nodes.contains(node)) return;
      if (from != null && !from.equals(node)) {
        leader = node;
      } else if (completion.type() == OpType.OK) {
        if (!"read".equals(completion.f())) leader = node;
      } else if (node.equals(leader)) {
        leader = null;
      }
    }
  }
}
