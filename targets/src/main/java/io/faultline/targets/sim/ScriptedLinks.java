package io.faultline.targets.sim;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A network a unit test sets by hand: one latency range, loss and duplication rates for every link,
 * and cuts between groups of nodes. Loss, duplication and latency are drawn from the seeded random
 * source it is given, in the order {@link VirtualCluster} asks; with the defaults (1 ms, nothing
 * lost or duplicated) it draws nothing at all.
 *
 * <p>Cuts are one-way, from sender to receiver; {@link #partition} and {@link #isolate} cut both
 * ways. The cluster asks {@link #blocked} when a message is sent and again when it arrives, so a cut
 * also loses what was in flight.
 */
public final class ScriptedLinks implements Links {
  private final List<String> ids;
  private final Random random;
  /** Sender to the receivers it cannot reach. */
  private final TreeMap<String, TreeSet<String>> cut = new TreeMap<>();
  private long minLatencyNanos = ScriptedCluster.MS;
  private long maxLatencyNanos = ScriptedCluster.MS;
  private double lossRate;
  private double duplicationRate;

  /** @param ids every member, for {@link #isolate} */
  public ScriptedLinks(List<String> ids, Random random) {
    this.ids = List.copyOf(ids);
    this.random = random;
  }

  /** Every copy of every message takes a delay uniform in [min, max] milliseconds (exactly min when equal). */
  public void latency(long minMillis, long maxMillis) {
    if (minMillis < 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("latency needs 0 <= min <= max, got " + minMillis + ", " + maxMillis);
    }
    minLatencyNanos = minMillis * ScriptedCluster.MS;
    maxLatencyNanos = maxMillis * ScriptedCluster.MS;
  }

  /** Each message is lost with probability {@code loss}, else arrives twice with probability {@code duplication}. */
  public void loss(double loss, double duplication) {
    if (!(loss >= 0 && loss <= 1 && duplication >= 0 && duplication <= 1)) {
      throw new IllegalArgumentException("rates are probabilities in [0, 1], got " + loss + ", " + duplication);
    }
    this.lossRate = loss;
    this.duplicationRate = duplication;
  }

  public long minLatencyNanos() {
    return minLatencyNanos;
  }

  /** Cuts every link between nodes of different groups, both ways; links within a group stay as they are. */
  public void partition(List<List<String>> groups) {
    for (List<String> a : groups) {
      for (List<String> b : groups) {
        if (a == b) continue;
        for (String from : a) {
          for (String to : b) cut(from, to);
        }
      }
    }
  }

  /** Cuts {@code id} off from every other member, both ways. */
  public void isolate(String id) {
    for (String other : ids) {
      if (!other.equals(id)) {
        cut(id, other);
        cut(other, id);
      }
    }
  }

  /** Cuts the one link from {@code from} to {@code to}. */
  public void cut(String from, String to) {
    cut.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
  }

  /** Restores every link. */
  public void heal() {
    cut.clear();
  }

  @Override
  public boolean blocked(String from, String to) {
    TreeSet<String> unreachable = cut.get(from);
    return unreachable != null && unreachable.contains(to);
  }

  @Override
  public int copies(String from, String to) {
    if (lossRate > 0 && random.nextDouble() < lossRate) return 0;
    return duplicationRate > 0 && random.nextDouble() < duplicationRate ? 2 : 1;
  }

  @Override
  public long delayNanos(String from, String to) {
    long spread = maxLatencyNanos - minLatencyNanos;
    return minLatencyNanos + (spread > 0 ? (long) (random.nextDouble() * spread) : 0);
  }
}
