package io.faultline.nemesis;

import io.faultline.nemesis.Action.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A run's faults, drawn entirely from its seed before the run starts, so that {@code faultline
 * repro} with the same seed replays the same faults at the same offsets, whatever the cluster does
 * meanwhile. Each enabled kind runs its own cycle (quiet for about an interval, faulty for about an
 * interval, then its stop) so that over a run the kinds overlap in many combinations.
 *
 * <p>The schedule keeps to the runtime's {@link Pace}: strobed clocks and flapped kills go by
 * seconds on real processes and by milliseconds in the simulator, and the first fault waits for as
 * long as a cluster there takes to elect a leader. The algorithm and the seed are the same on every
 * runtime; only those gaps differ, and with them how many strobe or flap steps fit in a window.
 *
 * <p>Contract. Steps are sorted by time; no step comes before the pace's initial quiet, so a
 * cluster has a leader before it is first disturbed; every start is followed by its kind's stop at
 * or before the time limit, and a kind never starts again before it stopped. The only randomness is a
 * {@link Random} seeded from the seed, and each kind draws from its own stream so that enabling a
 * kind does not change the cycles of the others.
 */
public final class NemesisSchedule {
  /** How long every kind waits before its first fault on real processes: time to elect a leader. */
  public static final Duration INITIAL_QUIET = Pace.REAL_TIME.initialQuiet();

  private static final long MS = 1_000_000L;

  private final List<Step> steps;

  private NemesisSchedule(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * The schedule for {@code kinds} on {@code nodes} (in the cluster's order) over {@code timeLimit}.
   *
   * @param interval the mean length of both the quiet and the faulty part of each kind's cycle
   * @throws IllegalArgumentException if the interval is not positive, the nodes are empty or repeat,
   *     or a network kind is asked of a single node
   */
  public static NemesisSchedule draw(Set<FaultKind> kinds, List<String> nodes, Duration interval, Duration timeLimit,
      long seed) {
    return draw(kinds, nodes, interval, timeLimit, seed, Pace.REAL_TIME);
  }

  /** As {@link #draw(Set, List, Duration, Duration, long)}, at the pace a runtime can apply. */
  public static NemesisSchedule draw(Set<FaultKind> kinds, List<String> nodes, Duration interval, Duration timeLimit,
      long seed, Pace pace) {
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(pace, "pace");
    List<String> cluster = List.copyOf(nodes);
    if (cluster.isEmpty()) throw new IllegalArgumentException("a nemesis schedule needs at least one node");
    if (Set.copyOf(cluster).size() != cluster.size()) throw new IllegalArgumentException("node ids repeat: " + cluster);
    if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the nemesis interval must be positive, got " + interval);
    if (timeLimit.isNegative()) throw new IllegalArgumentException("the time limit must not be negative, got " + timeLimit);
    if (cluster.size() < 2) {
      for (FaultKind k : List.of(FaultKind.PARTITION, FaultKind.LOSS, FaultKind.LATENCY)) {
        if (kinds.contains(k)) throw new IllegalArgumentException("--nemesis " + k.wireName() + " needs at least two nodes");
      }
    }
    long intervalMs = Math.max(1, interval.toMillis());
    long limitMs = timeLimit.toMillis();
    Random root = new Random(seed);
    List<Step> steps = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      // Drawn for every kind, enabled or not, so that each kind's stream depends on the seed alone.
      Random random = new Random(root.nextLong());
      if (kinds.contains(kind)) {
        new Cycle(kind, cluster, random, intervalMs, limitMs, pace, kinds.contains(FaultKind.CLOCK)).draw(steps);
      }
    }
    // Stable: steps at the same instant stay in kind order, then in the order they were drawn.
    steps.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
    return new NemesisSchedule(steps);
  }

  /**
   * A schedule given step by step, as {@link #describe()} writes it (a spec file may hold one, and
   * {@code faultline shrink} edits one): each step a map with {@code at-ms}, {@code kind}, {@code f}
   * and what was drawn for it. Steps are sorted by time, stably.
   *
   * @param nodes the cluster, in order: what a loss or latency scope of {@code all} covers
   * @throws IllegalArgumentException naming the step and what is wrong with it
   */
  public static NemesisSchedule of(List<? extends Map<String, ?>> described, List<String> nodes) {
    List<Step> steps = new ArrayList<>();
    for (Map<String, ?> m : described) {
      try {
        steps.add(parse(m, nodes));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("nemesis step " + m + " cannot be read: " + e.getMessage(), e);
      }
    }
    steps.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
    return new NemesisSchedule(steps);
  }

  private static Step parse(Map<String, ?> m, List<String> nodes) {
    long at = number(m, "at-ms");
    if (at < 0) throw new IllegalArgumentException("at-ms must not be negative");
    FaultKind kind = FaultKind.parse(text(m, "kind")).iterator().next();
    String f = text(m, "f");
    Action action = switch (f) {
      case "start-partition" -> new Action.StartPartition(text(m, "shape"), strings(m.get("order")));
      case "stop-partition" -> new Action.StopPartition();
      case "kill" -> new Action.Kill(text(m, "target"), strings(m.get("nodes")));
      case "start" -> new Action.Restart(m.get("nodes") == null ? List.of() : strings(m.get("nodes")));
      case "pause" -> new Action.Pause(text(m, "target"), strings(m.get("nodes")));
      case "resume" -> new Action.Resume();
      case "bump-clock" -> m.containsKey("delta-ms") ? new Action.ShiftClock(text(m, "node"), number(m, "delta-ms"))
          : new Action.BumpClock(offsets(m.get("offsets-ms")), Boolean.TRUE.equals(m.get("strobe")));
      case "reset-clock" -> new Action.ResetClock();
      case "start-loss" -> new Action.StartLoss(number(m, "loss-percent"),
          m.containsKey("duplicate-percent") ? number(m, "duplicate-percent") : 0, text(m, "scope"),
          scopeLinks(text(m, "scope"), nodes));
      case "stop-loss" -> new Action.StopLoss();
      case "start-latency" -> new Action.StartLatency(number(m, "delay-ms"), number(m, "jitter-ms"), text(m, "scope"),
          scopeLinks(text(m, "scope"), nodes));
      case "stop-latency" -> new Action.StopLatency();
      default -> throw new IllegalArgumentException("unknown f '" + f + "'");
    };
    return new Step(at * MS, kind, action);
  }

  private static String text(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) throw new IllegalArgumentException("no " + key);
    return v.toString();
  }

  private static long number(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (v instanceof Number n) return n.longValue();
    if (v == null) throw new IllegalArgumentException("no " + key);
    return Long.parseLong(v.toString());
  }

  private static List<String> strings(Object v) {
    if (!(v instanceof List<?> l)) throw new IllegalArgumentException("expected a list, got " + v);
    List<String> out = new ArrayList<>();
    for (Object o : l) out.add(String.valueOf(o));
    return out;
  }

  private static Map<String, Long> offsets(Object v) {
    if (!(v instanceof Map<?, ?> map)) throw new IllegalArgumentException("expected offsets-ms, got " + v);
    Map<String, Long> out = new LinkedHashMap<>();
    map.forEach((k, ms) -> out.put(String.valueOf(k), ms instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(ms))));
    return out;
  }

  /** The directed links a scope covers: every link, or every link to and from one node. */
  static List<Link> scopeLinks(String scope, List<String> nodes) {
    List<Link> out = new ArrayList<>();
    for (String from : nodes) {
      for (String to : nodes) {
        if (!from.equals(to) && (scope.equals("all") || scope.equals(from) || scope.equals(to))) out.add(new Link(from, to));
      }
    }
    return out;
  }

  /** The steps, sorted by time. */
  public List<Step> steps() {
    return steps;
  }

  /** The schedule as plain data (lists, maps, strings, longs), for test.json and the log. */
  public List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Step s : steps) out.add(s.describe());
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NemesisSchedule s && s.steps.equals(steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  @Override
  public String toString() {
    return "NemesisSchedule" + describe();
  }

  /**
   * One thing to do at one time. What it does is fixed when the schedule is drawn, except which
   * node leads, which is asked when it is applied; pass it to {@link Nemesis#apply}.
   */
  public static final class Step {
    private final long atNanos;
    private final FaultKind kind;
    final Action action;

    Step(long atNanos, FaultKind kind, Action action) {
      this.atNanos = atNanos;
      this.kind = kind;
      this.action = action;
    }

    /** When to apply it, in nanoseconds since the test began (the history's clock). */
    public long atNanos() {
      return atNanos;
    }

    public FaultKind kind() {
      return kind;
    }

    /** The name of the history record applying it produces, e.g. {@code start-partition}. */
    public String f() {
      return action.f();
    }

    /** Plain data: {@code at-ms}, {@code kind}, {@code f} and what was drawn for it. */
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at-ms", atNanos / MS);
      m.put("kind", kind.wireName());
      m.put("f", action.f());
      m.putAll(action.describe());
      return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Step s && s.atNanos == atNanos && s.kind == kind && s.action.equals(action);
    }

    @Override
    public int hashCode() {
      return Objects.hash(atNanos, kind, action);
    }

    @Override
    public String toString() {
      return describe().toString();
    }
  }

  /** One kind's cycles, drawn from that kind's own stream. */
  private static final class Cycle {
    private final FaultKind kind;
    private final List<String> nodes;
    private final Random random;
    private final long intervalMs;
    private final long limitMs;
    private final List<String> shapes;
    private final Pace pace;
    /** Whether clock faults are on too, so that an isolated leader's clock may also lie. */
    private final boolean clocksToo;
    private boolean lyingClock;

    Cycle(FaultKind kind, List<String> nodes, Random random, long intervalMs, long limitMs, Pace pace,
        boolean clocksToo) {
      this.clocksToo = clocksToo;
      this.kind = kind;
      this.nodes = nodes;
      this.random = random;
      this.intervalMs = intervalMs;
      this.limitMs = limitMs;
      this.shapes = Grudges.shapesFor(nodes.size());
      this.pace = pace;
    }

    void draw(List<Step> out) {
      // A window shorter than this does not give a fault time to matter.
      long minWindow = Math.max(1, Math.min(1_000, intervalMs / 2));
      long t = Math.max(pace.initialQuiet().toMillis(), around());
      while (t + minWindow <= limitMs) {
        long stop = Math.min(limitMs, t + Math.max(minWindow, around()));
        switch (kind) {
          case PARTITION -> {
            Action.StartPartition p = partition();
            add(out, t, p);
            // The classic attack on leases: cut the network and step the leader's clock back right
            // after, while it still believes it leads (on a minority side, it must not). Two
            // independent cycles almost never line up inside a lease's hundred-odd milliseconds;
            // this does, at every partition.
            if (clocksToo) {
              add(out, t + Math.max(1, pace.strobeGapMin().toMillis() / 10), new Action.ShiftClock("leader",
                  -(1_000 + random.nextInt(9_001))));
              lyingClock = true;
            }
          }
          case KILL -> {
            String target = target(true);
            List<String> killed = nodesFor(target);
            add(out, t, new Action.Kill(target, killed));
            if (random.nextInt(3) == 0) flap(out, t, stop, killed);
          }
          case PAUSE -> {
            String target = target(true);
            add(out, t, new Action.Pause(target, nodesFor(target)));
          }
          case CLOCK -> clock(out, t, stop);
          case LOSS -> add(out, t, loss());
          case LATENCY -> add(out, t, latency());
        }
        if (lyingClock) {
          add(out, stop, new Action.ResetClock());
          lyingClock = false;
        }
        add(out, stop, switch (kind) {
          case PARTITION -> new Action.StopPartition();
          case KILL -> Action.Restart.all();
          case PAUSE -> new Action.Resume();
          case CLOCK -> new Action.ResetClock();
          case LOSS -> new Action.StopLoss();
          case LATENCY -> new Action.StopLatency();
        });
        t = stop + around();
      }
    }

    private void add(List<Step> out, long atMs, Action action) {
      out.add(new Step(atMs * MS, kind, action));
    }

    /** Between half and one and a half intervals, in whole milliseconds. */
    private long around() {
      return Math.max(1, (long) (intervalMs * (0.5 + random.nextDouble())));
    }

    private Action.StartPartition partition() {
      String shape = shapes.get(random.nextInt(shapes.size()));
      return new Action.StartPartition(shape, Grudges.order(shape, nodes, random));
    }

    /**
     * Whom a kill, pause or clock fault takes. The leader most often, since its faults are what
     * test leadership; a majority and all less often, since losing a majority's unsynced writes
     * at once is rarer but is what exposes acknowledging before syncing.
     */
    String target(boolean leader) {
      int r = random.nextInt(100);
      if (leader) {
        if (r < 30) return "leader";
        r = random.nextInt(100);
      }
      return r < 40 ? "one" : r < 65 ? "minority" : r < 85 ? "majority" : "all";
    }

    /** The nodes {@code target} names, drawn now and listed in cluster order; none for the leader. */
    List<String> nodesFor(String target) {
      int n = nodes.size();
      int count = switch (target) {
        case "leader" -> 0;
        case "one" -> 1;
        case "minority" -> Math.max(1, (n - 1) / 2);
        case "majority" -> n / 2 + 1;
        default -> n;
      };
      if (count == 0) return List.of();
      List<String> shuffled = new ArrayList<>(nodes);
      Collections.shuffle(shuffled, random);
      Set<String> chosen = Set.copyOf(shuffled.subList(0, count));
      List<String> out = new ArrayList<>();
      for (String node : nodes) if (chosen.contains(node)) out.add(node);
      return out;
    }

    /**
     * While a kill fault lasts, now and then one more node is killed and restarted shortly after,
     * as a supervisor would: a voter that restarts in the middle of an election is what shows
     * whether its vote survived. The nodes the fault itself killed are left down.
     */
    private void flap(List<Step> out, long t, long stop, List<String> killed) {
      List<String> others = new ArrayList<>();
      for (String node : nodes) if (!killed.contains(node)) others.add(node);
      long at = t;
      while (!others.isEmpty()) {
        at += between(pace.flapGapMin(), pace.flapGapMax());
        if (at >= stop) break;
        String node = others.get(random.nextInt(others.size()));
        add(out, at, new Action.Kill("flap", List.of(node)));
        long restart = Math.min(stop, at + between(pace.restartMin(), pace.restartMax()));
        if (restart < stop) add(out, restart, new Action.Restart(List.of(node)));
        at = restart;
      }
    }

    /** Whole milliseconds from {@code min} to {@code max}, drawn. */
    private long between(Duration min, Duration max) {
      long lo = min.toMillis();
      return lo + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, max.toMillis() - lo) + 1);
    }

    /**
     * A bump of 1 to 10 s either way of the chosen nodes' clocks (the leader's, a third of the
     * time), left alone or strobed until the fault stops: either to a new offset each step, or a
     * little further back each step, as a clock stepped back again and again by a confused time
     * daemon. Half the steps take the leader of the moment: a leader whose clock goes back while it
     * is cut off believes in time it does not have, which one jump rarely times right.
     */
    private void clock(List<Step> out, long t, long stop) {
      String target = target(true);
      List<String> chosen = target.equals("leader") ? List.of("leader") : nodesFor(target);
      Map<String, Long> offsets = new LinkedHashMap<>();
      for (String node : chosen) offsets.put(node, offset());
      int mode = random.nextInt(100);
      boolean strobe = mode >= 50;
      add(out, t, new Action.BumpClock(offsets, strobe));
      if (!strobe) return;
      boolean back = mode >= 75;
      long at = t;
      while (true) {
        at += between(pace.strobeGapMin(), pace.strobeGapMax());
        // Each step holds for at least the shortest gap, or a slow clock may never show it.
        if (at + pace.strobeGapMin().toMillis() > stop) break;
        String node = random.nextBoolean() ? "leader" : chosen.get(random.nextInt(chosen.size()));
        if (back) {
          add(out, at, new Action.ShiftClock(node, -(50 + random.nextInt(951))));
        } else {
          Map<String, Long> one = new LinkedHashMap<>();
          one.put(node, offset());
          add(out, at, new Action.BumpClock(one, true));
        }
      }
    }

    /** 1 to 10 s, ahead or behind. */
    private long offset() {
      long millis = 1_000 + random.nextInt(9_001);
      return random.nextBoolean() ? millis : -millis;
    }

    private Action loss() {
      long percent = 10 + random.nextInt(41);
      long duplicate = random.nextInt(21);
      String scope = scope();
      return new Action.StartLoss(percent, duplicate, scope, links(scope));
    }

    private Action latency() {
      long delay = 50 + random.nextInt(451);
      long jitter = random.nextInt((int) (delay / 2) + 1);
      String scope = scope();
      return new Action.StartLatency(delay, jitter, scope, links(scope));
    }

    /** A node whose links (both ways) are degraded, or {@code all}. */
    private String scope() {
      return random.nextBoolean() ? "all" : nodes.get(random.nextInt(nodes.size()));
    }

    private List<Link> links(String scope) {
      return scopeLinks(scope, nodes);
    }
  }
}
