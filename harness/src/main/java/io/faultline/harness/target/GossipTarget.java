package io.faultline.harness.target;

import io.faultline.targets.gossip.GossipNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The bundled gossip store: every node takes reads and writes at all times and replicas converge
 * by anti-entropy (AP). Leaderless. It serves the BASE workloads (last-writer-wins registers,
 * grow-only and observed-remove sets, PN-counters) and the plain register and set workloads, whose
 * linearizable checkers it is expected to fail: that contrast is what the CAP/BASE report shows.
 */
public final class GossipTarget extends BundledTarget {
  public GossipTarget() {
    super(new GossipNodeFactory(), List.of("lww-register", "g-set", "or-set", "pn-counter", "set", "register"));
  }

  @Override
  public boolean hasLeader() {
    return false;
  }

  @Override
  public Optional<String> leader(Layout layout) {
    return Optional.empty();
  }

  /** Lamport or hybrid clocks, fast or slow anti-entropy, frequent compaction. */
  @Override
  public Map<String, String> swarmSettings(Random random) {
    Map<String, String> s = new TreeMap<>();
    // Not the wall clock: it loses acknowledged writes under skew by design, and a swarm varies only what keeps the build correct.
    s.put("clock", random.nextBoolean() ? "lamport" : "hlc");
    s.put("gossip-interval", String.valueOf(new int[] {20, 100, 500}[random.nextInt(3)]));
    s.put("compact-every", String.valueOf(new int[] {10, 2000}[random.nextInt(2)]));
    return s;
  }
}
