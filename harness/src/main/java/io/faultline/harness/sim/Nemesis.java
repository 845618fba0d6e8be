package io.faultline.harness.sim;

import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.Grudges;
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
import java.util.function.Supplier;

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
  private final Supplier<String> primary;
  private final EnumSet<FaultKind> active = EnumSet.noneOf(FaultKind.class);
  private long end;
  private List<String> crashed = List.of();
  private List<String> paused = List.of();
  private List<String> skewed = List.of();
  /** Bumped at every start of a kind, so that the steps of a strobe or a flap end with it. */
  private final long[] cycle = new long[FaultKind.values().length];
  private int faults;

  /**
   * @param primary the node that most recently acknowledged a write, or null: what clients saw of
   *     the leader, so that faults can aim at it without knowing the protocol
   */
  Nemesis(Scheduler scheduler, Cluster cluster, Network network, Recorder recorder, Random random, Set<FaultKind> kinds,
      Supplier<String> primary) {
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.network = network;
    this.recorder = recorder;
    this.random = random;
    this.kinds = kinds;
    this.primary = primary;
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
      case KILL -> startCrash();
      case PAUSE -> startPause();
      case CLOCK -> startClock();
      case LOSS -> startLoss();
    }
    faults++;
    active.add(kind);
    cycle[kind.ordinal()]++;
    scheduler.after(between(500, 5_000), () -> stop(kind, true));
    if (kind == FaultKind.CLOCK && random.nextBoolean()) strobe(cycle[kind.ordinal()], random.nextBoolean());
    if (kind == FaultKind.KILL && random.nextInt(3) == 0) flap(cycle[kind.ordinal()]);
  }

  private boolean stillActive(FaultKind kind, long c) {
    return active.contains(kind) && cycle[kind.ordinal()] == c && scheduler.now() < end;
  }

  /**
   * Clocks that keep jumping, every 10 to 200 ms while the fault lasts, half the time on the current
   * primary: either to a new random offset each time, or ({@code back}) a little further back each
   * time, as a clock stepped back again and again by a confused time daemon. A leader whose clock
   * goes back as it is cut off believes in time it does not have, which one jump rarely times right.
   */
  private void strobe(long c, boolean back) {
    scheduler.after(between(10, 200), () -> {
      if (!stillActive(FaultKind.CLOCK, c)) return;
      String p = primary.get();
      String id = random.nextBoolean() && p != null ? p : skewed.get(random.nextInt(skewed.size()));
      if (!skewed.contains(id)) {
        List<String> more = new ArrayList<>(skewed);
        more.add(id);
        skewed = sorted(more);
      }
      long offset;
      if (back) {
        offset = cluster.node(id).clockOffsetMillis - (50 + random.nextInt(951));
      } else {
        long millis = 1_000 + random.nextInt(9_001);
        offset = random.nextBoolean() ? millis : -millis;
      }
      Map<String, Long> value = new LinkedHashMap<>();
      value.put(id, offset);
      recorder.nemesis("bump-clock", value);
      cluster.clock(cluster.node(id), offset);
      strobe(c, back);
    });
  }

  /**
   * While the crash fault lasts, every 50 to 300 ms one more node is killed and restarted 10 to 100
   * ms later, as a supervisor would: a voter that restarts in the middle of an election is what
   * shows whether its vote survived.
   */
  private void flap(long c) {
    scheduler.after(between(50, 300), () -> {
      if (!stillActive(FaultKind.KILL, c)) return;
      List<String> up = new ArrayList<>();
      for (SimNode n : cluster.nodes()) if (n.up) up.add(n.id);
      if (!up.isEmpty()) {
        String id = up.get(random.nextInt(up.size()));
        recorder.nemesis("kill", List.of(id));
        cluster.crash(cluster.node(id), "nemesis");
        scheduler.after(between(10, 100), () -> {
          SimNode n = cluster.node(id);
          if (n.up) return;
          recorder.nemesis("start", List.of(id));
          cluster.start(n);
        });
      }
      flap(c);
    });
  }

  private void stop(FaultKind kind, boolean again) {
    if (!active.remove(kind)) return;
    switch (kind) {
      case PARTITION -> {
        network.heal();
        recorder.nemesis("stop-partition", null);
        logAll("== partition healed");
      }
      case KILL -> {
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
    Grudges.Partition p = Grudges.draw(cluster.ids(), random, primary.get());
    network.partition(p.grudge());
    // The same value as the nemesis module's, so that simulated and real histories read alike.
    recorder.nemesis("start-partition", p.value());
    for (SimNode n : cluster.nodes()) {
      SortedSet<String> hated = p.grudge().get(n.id);
      n.log.line(scheduler.now(), "== partition (" + p.shape() + "): cannot hear " + (hated == null ? "[]" : hated));
    }
  }

  /**
   * Which nodes a crash, pause or clock fault takes, as Jepsen's targets: the primary (the node
   * that last acknowledged a write) a fifth of the time, otherwise one node, a minority, a majority
   * or all. Losing a majority's unsynced writes at once is what exposes a protocol that acknowledges
   * before it syncs; resuming several nodes at once fires their election timers together, which is
   * what makes two candidates run in one term; a leader's own faults are what test its leadership.
   */
  private List<String> choose(List<String> candidates) {
    if (candidates.isEmpty()) return List.of();
    int n = cluster.ids().size();
    double r = random.nextDouble();
    String p = primary.get();
    if (r < 0.2 && p != null && candidates.contains(p)) return List.of(p);
    int count = r < 0.55 ? 1 : r < 0.8 ? Math.max(1, (n - 1) / 2) : r < 0.95 ? n / 2 + 1 : n;
    return sorted(pick(candidates, Math.min(count, candidates.size())));
  }

  private void startCrash() {
    List<String> up = new ArrayList<>();
    for (SimNode node : cluster.nodes()) if (node.up) up.add(node.id);
    crashed = choose(up);
    recorder.nemesis("kill", crashed);
    for (String id : crashed) cluster.crash(cluster.node(id), "nemesis");
  }

  private void startPause() {
    List<String> candidates = new ArrayList<>();
    for (SimNode node : cluster.nodes()) if (node.up && !node.paused) candidates.add(node.id);
    paused = choose(candidates);
    recorder.nemesis("pause", paused);
    for (String id : paused) cluster.pause(cluster.node(id));
  }

  /** Offsets of 1 to 10 seconds, either way, on the nodes {@link #choose} picks. */
  private void startClock() {
    skewed = choose(cluster.ids());
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
