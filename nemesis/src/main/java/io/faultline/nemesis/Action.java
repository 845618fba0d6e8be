package io.faultline.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one step of a schedule does, with every random choice already made, so that a schedule is
 * a value: two schedules from one seed are equal, and a step replays the same way. Only the leader
 * is left open, because who leads is known only when the step is applied. Stops carry nothing:
 * they undo whatever the matching start managed to do, which only the {@link Nemesis} knows.
 */
sealed interface Action {
  /** The name of the history record the step produces. */
  String f();

  /** Plain data for test.json and logs; deterministic order. */
  Map<String, Object> describe();

  /** A directed link, ordered by sender then receiver so that maps of links iterate the same way every run. */
  record Link(String from, String to) implements Comparable<Link> {
    private static final Comparator<Link> ORDER = Comparator.comparing(Link::from).thenComparing(Link::to);

    @Override
    public int compareTo(Link o) {
      return ORDER.compare(this, o);
    }

    List<String> value() {
      return List.of(from, to);
    }

    static List<List<String>> values(Iterable<Link> links) {
      List<List<String>> out = new ArrayList<>();
      for (Link l : links) out.add(l.value());
      return List.copyOf(out);
    }
  }

  /** {@code order} is what {@link Grudges#arrange} reads; for {@code isolated-leader} the leader goes first when applied. */
  record StartPartition(String shape, List<String> order) implements Action {
    public StartPartition {
      order = List.copyOf(order);
    }

    public String f() {
      return "start-partition";
    }

    public Map<String, Object> describe() {
      return map("shape", shape, "order", order);
    }
  }

  record StopPartition() implements Action {
    public String f() {
      return "stop-partition";
    }

    public Map<String, Object> describe() {
      return map();
    }
  }

  /** {@code nodes} is empty when {@code target} is {@code leader}. */
  record Kill(String target, List<String> nodes) implements Action {
    public Kill {
      nodes = List.copyOf(nodes);
    }

    public String f() {
      return "kill";
    }

    public Map<String, Object> describe() {
      return map("target", target, "nodes", nodes);
    }
  }

  /** Starts {@code nodes} if they are down; every node a kill took down when {@code nodes} is empty. */
  record Restart(List<String> nodes) implements Action {
    public Restart {
      nodes = List.copyOf(nodes);
    }

    static Restart all() {
      return new Restart(List.of());
    }

    public String f() {
      return "start";
    }

    public Map<String, Object> describe() {
      return nodes.isEmpty() ? map() : map("nodes", nodes);
    }
  }

  /** {@code nodes} is empty when {@code target} is {@code leader}. */
  record Pause(String target, List<String> nodes) implements Action {
    public Pause {
      nodes = List.copyOf(nodes);
    }

    public String f() {
      return "pause";
    }

    public Map<String, Object> describe() {
      return map("target", target, "nodes", nodes);
    }
  }

  record Resume() implements Action {
    public String f() {
      return "resume";
    }

    public Map<String, Object> describe() {
      return map();
    }
  }

  /**
   * Absolute offsets in milliseconds, in cluster order; a key {@code leader} stands for whoever
   * leads when the step is applied. {@code strobe} marks one bump of several.
   */
  record BumpClock(Map<String, Long> offsets, boolean strobe) implements Action {
    public BumpClock {
      offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    public String f() {
      return "bump-clock";
    }

    public Map<String, Object> describe() {
      return map("offsets-ms", offsets, "strobe", strobe);
    }
  }

  /**
   * Moves one node's wall clock by {@code deltaMillis} from where the nemesis last set it: a clock
   * stepped back again and again, as by a confused time daemon. {@code node} may be {@code leader}.
   */
  record ShiftClock(String node, long deltaMillis) implements Action {
    public String f() {
      return "bump-clock";
    }

    public Map<String, Object> describe() {
      return map("node", node, "delta-ms", deltaMillis, "strobe", true);
    }
  }

  record ResetClock() implements Action {
    public String f() {
      return "reset-clock";
    }

    public Map<String, Object> describe() {
      return map();
    }
  }

  /** {@code scope} is the node whose links are degraded, or {@code all}; some packets also arrive twice. */
  record StartLoss(long percent, long duplicatePercent, String scope, List<Link> links) implements Action {
    public StartLoss {
      links = List.copyOf(links);
    }

    public String f() {
      return "start-loss";
    }

    public Map<String, Object> describe() {
      return map("loss-percent", percent, "duplicate-percent", duplicatePercent, "scope", scope);
    }
  }

  record StopLoss() implements Action {
    public String f() {
      return "stop-loss";
    }

    public Map<String, Object> describe() {
      return map();
    }
  }

  /** {@code scope} is the node whose links are slowed, or {@code all}. */
  record StartLatency(long delayMillis, long jitterMillis, String scope, List<Link> links) implements Action {
    public StartLatency {
      links = List.copyOf(links);
    }

    public String f() {
      return "start-latency";
    }

    public Map<String, Object> describe() {
      return map("delay-ms", delayMillis, "jitter-ms", jitterMillis, "scope", scope);
    }
  }

  record StopLatency() implements Action {
    public String f() {
      return "stop-latency";
    }

    public Map<String, Object> describe() {
      return map();
    }
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }
}
