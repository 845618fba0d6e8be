package io.faultline.harness.target;

import io.faultline.targets.twopc.TwoPcNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The bundled sharded store with two-phase commit: registers (each key a one-shard transaction),
 * the bank (transfers and reads across shards), and list-append and rw-register (each transaction
 * split over the shards of its keys, serializable by strict two-phase locking). Leaderless: any
 * node coordinates.
 */
public final class TwoPcTarget extends BundledTarget {
  public TwoPcTarget() {
    super(new TwoPcNodeFactory(), List.of("bank", "register", "list-append", "rw-register"));
  }

  @Override
  public boolean hasLeader() {
    return false;
  }

  @Override
  public Optional<String> leader(Layout layout) {
    return Optional.empty();
  }

  @Override
  public void validate(Setup setup, int nodes) {
    validate(setup);
    try {
      TwoPcNodeFactory.checkShards(setup.settings(), nodes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name() + " refuses its settings: " + e.getMessage());
    }
  }

  /** Hash or range shards (three, split inside the bank's and the register's keys), short or long timeouts. */
  @Override
  public Map<String, String> swarmSettings(Random random) {
    Map<String, String> s = new TreeMap<>();
    if (random.nextBoolean()) {
      s.put("partitioning", "range");
      s.put("splits", "a4,k2");
    }
    s.put("prepare-timeout", String.valueOf(new int[] {100, 500, 1500}[random.nextInt(3)]));
    s.put("query-interval", String.valueOf(new int[] {50, 200}[random.nextInt(2)]));
    return s;
  }
}
