package io.faultline.harness.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Draws the fault schedule from the seed and applies it. Each enabled kind runs its own cycle,
 * quiet then active then quiet again, so kinds overlap in every combination over a run. Every start
 * and stop is recorded in the history as an {@code info} record of process {@code nemesis} whose
 * value says what was done to which nodes.
 */
final class Nemesis {
  private static final long MS = 1_000_000L;

  private final Scheduler scheduler;
  private final Cluster cluster;
  private final Network network;
  private final Recorder recorder;
  private final Random random;
  private final Set<FaultKind> kinds;
  private final EnumSet<FaultKind> active = EnumSet.noneOf(FaultKind.class);
  private long end;
  private List<String> crashed = List.of();
  private List<String> paused = List.of();
  private List<String> skewed = List.of();
  private int faults;

  Nemesis(Scheduler scheduler, Cluster cluster, Network network, Recorder recorder, Random random, Set<FaultKind> kinds) {
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.network = network;
    this.recorder = recorder;
    this.random = random;
    this.kinds = kinds;
  }

  /** How many faults were started. */
  int faults() {
    return faults;
  }

  /** Starts each kind's cycle; no fault starts at or after {@code endNanos}. */
  void begin(long endNanos) {
    this.end = endNanos;
    for (FaultKind k : FaultKind.values()) {
      // The first fault waits for a cluster that has had time to elect a leader.
      if (kinds.contains(k)) scheduler.after(between(500, 3_000), () -> start(k));
    }
  }

  private long between(long loMillis, long hiMillis) {
    return loMillis * MS + (long) (random.nextDouble() * (hiMillis - loMillis) * MS);
  }

  private void start(FaultKind kind) {
    if (scheduler.now() >= end || active.contains(kind)) return;
    switch (kind) {
      case PARTITION -> startPartition();
      case CRASH -> startCrash();
      case PAUSE -> startPause();
      case CLOCK -> startClock();
      case LOSS -> startLoss();
    }
    faults++;
    active.add(kind);
    scheduler.after(between(500, 5_000), () -> stop(kind, true));
  }

  private void stop(FaultKind kind, boolean again) {
    if (!active.remove(kind)) return;
    switch (kind) {
      case PARTITION -> {
        network.heal();
        recorder.nemesis("stop-partition", null);
        logAll("== partition healed");
      }
      case CRASH -> {
        List<String> restarted = new ArrayList<>();
        for (String id : crashed) {
          SimNode n = cluster.node(id);
          if (!n.up) restarted.add(id);
        }
        recorder.nemesis("start", restarted);
        for (String id : restarted) cluster.start(cluster.node(id));
      }
      case PAUSE -> {
        // Only those still paused: a node crashed meanwhile is no longer paused.
        List<String> resumed = new ArrayList<>();
        for (String id : paused) {
          SimNode n = cluster.node(id);
          if (n.up && n.paused) resumed.add(id);
        }
        recorder.nemesis("resume", resumed);
        for (String id : resumed) cluster.resume(cluster.node(id));
      }
      case CLOCK -> {
        recorder.nemesis("reset-clock", skewed);
        for (String id : skewed) cluster.clock(cluster.node(id), 0);
      }
      case LOSS -> {
        network.restore();
        recorder.nemesis("stop-loss", null);
      }
    }
    if (again && scheduler.now() < end) scheduler.after(between(500, 4_000), () -> start(kind));
  }

  /**
   * Ends every fault: heals partitions, restarts every node that is down (whatever took it down),
   * resumes every paused node, resets clocks and stops loss.
   */
  void healAll() {
    for (FaultKind k : FaultKind.values()) stop(k, false);
    List<String> down = new ArrayList<>();
    for (SimNode n : cluster.nodes()) if (!n.up) down.add(n.id);
    if (!down.isEmpty()) {
      recorder.nemesis("start", down);
      for (String id : down) cluster.start(cluster.node(id));
    }
    List<String> stillPaused = new ArrayList<>();
    for (SimNode n : cluster.nodes()) if (n.up && n.paused) stillPaused.add(n.id);
    if (!stillPaused.isEmpty()) {
      recorder.nemesis("resume", stillPaused);
      for (String id : stillPaused) cluster.resume(cluster.node(id));
    }
  }

  private void startPartition() {
    Grudges.Partition p = Grudges.draw(cluster.ids(), random);
    network.partition(p.grudge());
    Map<String, List<String>> value = new LinkedHashMap<>();
    p.grudge().forEach((k, v) -> value.put(k, new ArrayList<>(v)));
    recorder.nemesis("start-partition", value);
    for (SimNode n : cluster.nodes()) {
      SortedSet<String> hated = p.grudge().get(n.id);
      n.log.line(scheduler.now(), "== partition (" + p.shape() + "): cannot hear " + (hated == null ? "[]" : hated));
    }
  }

  /**
   * One node half the time, otherwise a minority, a majority, or every node: losing a majority's
   * unsynced writes at once is what exposes a protocol that acknowledges before it syncs.
   */
  private void startCrash() {
    int n = cluster.ids().size();
    double r = random.nextDouble();
    int count = r < 0.5 ? 1 : r < 0.8 ? Math.max(1, (n - 1) / 2) : r < 0.95 ? n / 2 + 1 : n;
    List<String> chosen = new ArrayList<>();
    for (String id : pick(cluster.ids(), count)) if (cluster.node(id).up) chosen.add(id);
    crashed = sorted(chosen);
    recorder.nemesis("kill", crashed);
    for (String id : crashed) cluster.crash(cluster.node(id), "nemesis");
  }

  private void startPause() {
    List<String> candidates = new ArrayList<>();
    for (SimNode node : cluster.nodes()) if (node.up && !node.paused) candidates.add(node.id);
    int count = random.nextInt(5) == 0 ? Math.max(1, (cluster.ids().size() - 1) / 2) : 1;
    paused = sorted(pick(candidates, Math.min(count, candidates.size())));
    recorder.nemesis("pause", paused);
    for (String id : paused) cluster.pause(cluster.node(id));
  }

  /** Offsets of 1 to 10 seconds, either way, on one node or more. */
  private void startClock() {
    int n = cluster.ids().size();
    skewed = sorted(pick(cluster.ids(), 1 + random.nextInt(n)));
    SortedMap<String, Long> offsets = new TreeMap<>();
    for (String id : skewed) {
      long millis = 1_000 + random.nextInt(9_001);
      offsets.put(id, random.nextBoolean() ? millis : -millis);
    }
    recorder.nemesis("bump-clock", new LinkedHashMap<>(offsets));
    offsets.forEach((id, ms) -> cluster.clock(cluster.node(id), ms));
  }

  private void startLoss() {
    long lossPercent = 5 + random.nextInt(46);
    long duplicatePercent = random.nextInt(21);
    List<String> nodes = random.nextBoolean() ? null : pick(cluster.ids(), 1);
    network.degrade(lossPercent / 100.0, duplicatePercent / 100.0, nodes == null ? null : Set.copyOf(nodes));
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("loss-percent", lossPercent);
    value.put("duplicate-percent", duplicatePercent);
    value.put("nodes", nodes == null ? "all" : nodes);
    recorder.nemesis("start-loss", value);
  }

  private List<String> pick(List<String> from, int count) {
    List<String> shuffled = new ArrayList<>(from);
    Collections.shuffle(shuffled, random);
    return new ArrayList<>(shuffled.subList(0, Math.min(count, shuffled.size())));
  }

  private static List<String> sorted(List<String> ids) {
    List<String> out = new ArrayList<>(ids);
    // By node number, so n10 follows n9.
    out.sort((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b));
    return List.copyOf(out);
  }

  private void logAll(String line) {
    for (SimNode n : cluster.nodes()) n.log.line(scheduler.now(), line);
  }
}
