package io.faultline.nemesis;

import io.faultline.nemesis.Action.Link;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Applies a {@link NemesisSchedule}'s steps to a {@link Fabric}, remembers every fault it put in
 * force, and undoes them all on {@link #healAll()}. Each step yields {@link Event}s for the
 * runner to record as {@code info} operations of process {@code nemesis}.
 *
 * <p>Contract. {@link #apply} and {@link #healAll} never throw: what the fabric refuses (a {@link
 * FaultException}, an {@link UnsupportedOperationException}, or any other failure) is recorded as
 * {@code "error"} in the event, and the run goes on. A fault is remembered as soon as it is
 * attempted and forgotten only once it was undone without error, so {@code healAll} undoes every
 * fault ever applied, including half-applied ones and ones whose scheduled stop failed or never
 * came. Every public method is synchronized, so a shutdown hook may call {@code healAll} while the
 * schedule thread is mid-step; after {@code healAll} the nemesis is spent and {@code apply} does
 * nothing, so that a schedule thread that outlives the hook cannot start a fault nobody will undo.
 * Calling {@code healAll} again retries whatever could not be undone the first time.
 */
public final class Nemesis {
  /**
   * One nemesis action for the history. {@code f} is the operation's name; {@code value} is plain
   * data (maps with a fixed key order, lists, strings, longs) so JSON and EDN write it alike.
   */
  public record Event(String f, Object value) {}

  private final Fabric fabric;
  private final Supplier<String> leader;
  private final Random random;
  private final List<String> cluster;
  private final Comparator<String> clusterOrder;

  private Grudges.Partition partition;
  private final SortedSet<String> killed;
  private final SortedSet<String> paused;
  private final SortedMap<String, Long> clocks;
  /** Per degraded link: the loss and duplicate percentages. */
  private final SortedMap<Link, long[]> loss = new TreeMap<>();
  private final SortedMap<Link, long[]> latency = new TreeMap<>();
  private String lossScope = "";
  private String latencyScope = "";
  private boolean spent;

  /**
   * @param leader the node that leads now, or null when unknown; asked when a step targets the
   *     leader. An unknown answer, or a node not in the cluster, falls back to a node drawn from
   *     {@code seed}.
   * @param seed for those fallbacks only: the schedule's own choices are already drawn
   */
  public Nemesis(Fabric fabric, Supplier<String> leader, long seed) {
    this.fabric = Objects.requireNonNull(fabric, "fabric");
    this.leader = Objects.requireNonNull(leader, "leader");
    this.random = new Random(seed);
    this.cluster = List.copyOf(fabric.nodes());
    // Events list nodes in the cluster's order (n2 before n10); ties broken by name for strangers.
    this.clusterOrder = Comparator.<String>comparingInt(n -> cluster.indexOf(n) < 0 ? Integer.MAX_VALUE : cluster.indexOf(n))
        .thenComparing(Comparator.naturalOrder());
    this.killed = new TreeSet<>(clusterOrder);
    this.paused = new TreeSet<>(clusterOrder);
    this.clocks = new TreeMap<>(clusterOrder);
  }

  /**
   * Throws unless {@code fabric} offers every kind in {@code kinds}: asked before a run starts so
   * that a runtime that cannot skew clocks says so at once rather than in the middle of a test.
   *
   * @throws IllegalArgumentException with one line naming what the runtime cannot do
   */
  public static void requireSupported(Fabric fabric, Set<FaultKind> kinds) {
    Set<FaultKind> missing = EnumSet.noneOf(FaultKind.class);
    missing.addAll(kinds);
    missing.removeAll(fabric.supported());
    if (missing.isEmpty()) return;
    Set<FaultKind> offered = EnumSet.noneOf(FaultKind.class);
    offered.addAll(fabric.supported());
    throw new IllegalArgumentException("this runtime cannot apply --nemesis " + names(missing) + " (it offers "
        + (offered.isEmpty() ? "no faults" : names(offered)) + ")");
  }

  private static String names(Set<FaultKind> kinds) {
    List<String> out = new ArrayList<>();
    for (FaultKind k : kinds) out.add(k.wireName());
    return String.join(", ", out);
  }

  /** Does what {@code step} says and returns what it did; nothing once {@link #healAll} has run. */
  public synchronized List<Event> apply(NemesisSchedule.Step step) {
    if (spent) return List.of();
    return List.of(safely(step.f(), () -> dispatch(step.action)));
  }

  private Event dispatch(Action a) {
    if (a instanceof Action.StartPartition p) return startPartition(p);
    if (a instanceof Action.StopPartition) return stopPartition();
    if (a instanceof Action.Kill k) return kill(k.target(), k.nodes());
    if (a instanceof Action.Restart r) return restart(r.nodes());
    if (a instanceof Action.Pause p) return pause(p.target(), p.nodes());
    if (a instanceof Action.Resume) return resume();
    if (a instanceof Action.BumpClock c) return bumpClock(c.offsets());
    if (a instanceof Action.ShiftClock c) return shiftClock(c.node(), c.deltaMillis());
    if (a instanceof Action.ResetClock) return resetClock();
    if (a instanceof Action.StartLoss l) return startLoss(l);
    if (a instanceof Action.StopLoss) return stopLoss();
    if (a instanceof Action.StartLatency l) return startLatency(l);
    return stopLatency();
  }

  /**
   * The fabric's failures are caught call by call; this catches the rest (a schedule drawn for
   * other nodes than the fabric's, a leader supplier that throws), so the run still goes on.
   */
  private static Event safely(String f, Supplier<Event> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("error", Errors.message(e));
      return new Event(f, Collections.unmodifiableMap(value));
    }
  }

  /**
   * Kills {@code node} now, outside the schedule: a fault point, where a node reported an event and
   * the run takes it down right then. Remembered like any kill, so {@link #healAll} restarts it.
   * Nothing once the nemesis is spent.
   */
  public synchronized List<Event> killAt(String node, String why) {
    if (spent || killed.contains(node)) return List.of();
    return List.of(safely("kill", () -> kill(why, List.of(node))));
  }

  /** Starts {@code node} if a kill took it down: the end of a fault point's kill. */
  public synchronized List<Event> restart(String node) {
    if (spent || !killed.contains(node)) return List.of();
    return List.of(safely("start", () -> restart(List.of(node))));
  }

  /**
   * Undoes every fault still in force, network first so that restarted nodes come up on a whole
   * network with true clocks: heals the partition, clears every degraded link, resets every
   * skewed clock, resumes paused nodes and starts killed ones. One event per kind it undid.
   */
  public synchronized List<Event> healAll() {
    spent = true;
    List<Event> events = new ArrayList<>();
    if (partition != null) events.add(safely("stop-partition", this::stopPartition));
    if (!loss.isEmpty()) events.add(safely("stop-loss", this::stopLoss));
    if (!latency.isEmpty()) events.add(safely("stop-latency", this::stopLatency));
    if (!clocks.isEmpty()) events.add(safely("reset-clock", this::resetClock));
    if (!paused.isEmpty()) events.add(safely("resume", this::resume));
    if (!killed.isEmpty()) events.add(safely("start", () -> restart(List.of())));
    return List.copyOf(events);
  }

  /**
   * The faults in force now, in a few words for a live status line, e.g. {@code partition
   * majorities-ring; killed n2; clock n1+3s}; {@code none} when there are none.
   */
  public synchronized String inForce() {
    List<String> parts = new ArrayList<>();
    if (partition != null) parts.add("partition " + partition.shape());
    if (!killed.isEmpty()) parts.add("killed " + String.join(",", killed));
    if (!paused.isEmpty()) parts.add("paused " + String.join(",", paused));
    if (!clocks.isEmpty()) {
      List<String> skews = new ArrayList<>();
      clocks.forEach((node, ms) -> skews.add(node + (ms >= 0 ? "+" : "-")
          + BigDecimal.valueOf(Math.abs(ms), 3).stripTrailingZeros().toPlainString() + "s"));
      parts.add("clock " + String.join(",", skews));
    }
    if (!loss.isEmpty()) parts.add("loss " + loss.values().iterator().next()[0] + "% " + lossScope);
    if (!latency.isEmpty()) {
      long[] d = latency.values().iterator().next();
      parts.add("latency " + d[0] + "ms~" + d[1] + "ms " + latencyScope);
    }
    return parts.isEmpty() ? "none" : String.join("; ", parts);
  }

  private Event startPartition(Action.StartPartition p) {
    List<String> order = p.order();
    if (p.shape().equals("isolated-leader")) {
      String lone = leader();
      List<String> first = new ArrayList<>();
      first.add(lone);
      for (String n : order) if (!n.equals(lone)) first.add(n);
      order = first;
    }
    Grudges.Partition drawn = new Grudges.Partition(p.shape(), Grudges.arrange(p.shape(), order));
    partition = drawn;
    Map<String, Set<String>> grudge = new TreeMap<>();
    drawn.grudge().forEach((node, hated) -> grudge.put(node, Collections.unmodifiableSortedSet(hated)));
    Errors errors = new Errors();
    errors.run(() -> fabric.partition(Collections.unmodifiableMap(grudge)));
    return errors.event("start-partition", new LinkedHashMap<>(drawn.value()));
  }

  private Event stopPartition() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("shape", partition == null ? "none" : partition.shape());
    Errors errors = new Errors();
    if (errors.run(fabric::heal)) partition = null;
    return errors.event("stop-partition", value);
  }

  private Event kill(String target, List<String> planned) {
    List<String> nodes = target.equals("leader") ? List.of(leader()) : planned;
    Errors errors = new Errors();
    for (String n : nodes) {
      killed.add(n);
      // A killed process is no longer frozen, and its restart comes up running.
      paused.remove(n);
      errors.run(() -> fabric.kill(n));
    }
    return errors.event("kill", targeted(nodes, target));
  }

  /** Starts {@code only} of the killed nodes, or all of them when it is empty. */
  private Event restart(List<String> only) {
    List<String> nodes = new ArrayList<>();
    for (String n : killed) if (only.isEmpty() || only.contains(n)) nodes.add(n);
    Errors errors = new Errors();
    for (String n : nodes) if (errors.run(() -> fabric.start(n))) killed.remove(n);
    return errors.event("start", nodesValue(nodes));
  }

  private Event pause(String target, List<String> planned) {
    List<String> nodes = new ArrayList<>();
    // A dead process cannot be frozen, and resuming it later would mean nothing.
    for (String n : target.equals("leader") ? List.of(leader()) : planned) if (!killed.contains(n)) nodes.add(n);
    Errors errors = new Errors();
    for (String n : nodes) {
      paused.add(n);
      errors.run(() -> fabric.pause(n));
    }
    return errors.event("pause", targeted(nodes, target));
  }

  private Event resume() {
    List<String> nodes = List.copyOf(paused);
    Errors errors = new Errors();
    for (String n : nodes) if (errors.run(() -> fabric.resume(n))) paused.remove(n);
    return errors.event("resume", nodesValue(nodes));
  }

  private Event bumpClock(Map<String, Long> offsets) {
    Map<String, Object> value = new LinkedHashMap<>();
    Errors errors = new Errors();
    offsets.forEach((named, ms) -> {
      String n = named.equals("leader") ? leader() : named;
      value.put(n, ms);
      clocks.put(n, ms);
      errors.run(() -> fabric.clockOffset(n, Duration.ofMillis(ms)));
    });
    return errors.event("bump-clock", value);
  }

  private Event shiftClock(String named, long deltaMillis) {
    String n = named.equals("leader") ? leader() : named;
    long ms = clocks.getOrDefault(n, 0L) + deltaMillis;
    Map<String, Long> offsets = new LinkedHashMap<>();
    offsets.put(n, ms);
    return bumpClock(offsets);
  }

  private Event resetClock() {
    Map<String, Object> value = new LinkedHashMap<>();
    Errors errors = new Errors();
    for (String n : List.copyOf(clocks.keySet())) {
      value.put(n, 0L);
      if (errors.run(() -> fabric.clockOffset(n, Duration.ZERO))) clocks.remove(n);
    }
    return errors.event("reset-clock", value);
  }

  private Event startLoss(Action.StartLoss l) {
    Errors errors = new Errors();
    lossScope = l.scope();
    for (Link link : l.links()) {
      loss.put(link, new long[] {l.percent(), l.duplicatePercent()});
      errors.run(() -> push(link));
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("loss-percent", l.percent());
    value.put("duplicate-percent", l.duplicatePercent());
    value.put("scope", l.scope());
    value.put("links", Link.values(l.links()));
    return errors.event("start-loss", value);
  }

  private Event stopLoss() {
    List<Link> links = List.copyOf(loss.keySet());
    Errors errors = new Errors();
    for (Link link : links) {
      long[] before = loss.remove(link);
      if (!errors.run(() -> push(link))) loss.put(link, before);
    }
    return errors.event("stop-loss", linksValue(links));
  }

  private Event startLatency(Action.StartLatency l) {
    Errors errors = new Errors();
    latencyScope = l.scope();
    for (Link link : l.links()) {
      latency.put(link, new long[] {l.delayMillis(), l.jitterMillis()});
      errors.run(() -> push(link));
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("delay-ms", l.delayMillis());
    value.put("jitter-ms", l.jitterMillis());
    value.put("scope", l.scope());
    value.put("links", Link.values(l.links()));
    return errors.event("start-latency", value);
  }

  private Event stopLatency() {
    List<Link> links = List.copyOf(latency.keySet());
    Errors errors = new Errors();
    for (Link link : links) {
      long[] before = latency.remove(link);
      if (!errors.run(() -> push(link))) latency.put(link, before);
    }
    return errors.event("stop-latency", linksValue(links));
  }

  /**
   * Sets a link to the loss and the latency in force on it together: the fabric holds one packet
   * fault per link, so ending one must not end the other.
   */
  private void push(Link link) {
    long[] percent = loss.get(link);
    long[] delay = latency.get(link);
    PacketFault fault = percent == null && delay == null ? PacketFault.NONE
        : new PacketFault(percent == null ? 0 : percent[0] / 100.0,
            Duration.ofMillis(delay == null ? 0 : delay[0]), Duration.ofMillis(delay == null ? 0 : delay[1]),
            percent == null ? 0 : percent[1] / 100.0);
    fabric.packets(link.from(), link.to(), fault);
  }

  /** The node the supplier names, or, when it does not know or names a stranger, one drawn from the seed. */
  private String leader() {
    String named;
    try {
      named = leader.get();
    } catch (RuntimeException e) {
      named = null;
    }
    return named != null && cluster.contains(named) ? named : cluster.get(random.nextInt(cluster.size()));
  }

  private static Map<String, Object> targeted(List<String> nodes, String target) {
    Map<String, Object> value = nodesValue(nodes);
    value.put("target", target);
    return value;
  }

  private static Map<String, Object> nodesValue(List<String> nodes) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("nodes", List.copyOf(nodes));
    return value;
  }

  private static Map<String, Object> linksValue(List<Link> links) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("links", Link.values(links));
    return value;
  }

  /** The failures of one step's fabric calls, kept so that one refused node does not stop the others. */
  private static final class Errors {
    private final Set<String> messages = new LinkedHashSet<>();

    boolean run(Runnable call) {
      try {
        call.run();
        return true;
      } catch (RuntimeException e) {
        messages.add(message(e));
        return false;
      }
    }

    static String message(RuntimeException e) {
      String m = e.getMessage();
      return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    Event event(String f, Map<String, Object> value) {
      if (!messages.isEmpty()) value.put("error", String.join("; ", messages));
      return new Event(f, Collections.unmodifiableMap(value));
    }
  }
}
