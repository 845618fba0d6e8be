package io.faultline.harness.shrink;

import io.faultline.nemesis.Grudges;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One fault of a schedule given step by step: the step that starts it, the steps of the same kind
 * while it lasts (a strobe's clock steps, a flap's kills and restarts) and the step that ends it.
 * What the shrinker removes, shortens and moves onto fewer nodes; every edit returns a new list of
 * steps, sorted by time, and leaves the one it was given alone.
 */
final class Window {
  private final String kind;
  private final List<Integer> steps;
  private final long startMillis;
  private final long stopMillis;

  private Window(String kind, List<Integer> steps, long startMillis, long stopMillis) {
    this.kind = kind;
    this.steps = List.copyOf(steps);
    this.startMillis = startMillis;
    this.stopMillis = stopMillis;
  }

  String kind() {
    return kind;
  }

  long startMillis() {
    return startMillis;
  }

  /** How long it is in force; to its last step when its stop fell past the time limit. */
  long lengthMillis() {
    return stopMillis - startMillis;
  }

  /** The windows of a schedule, in the order they start. */
  static List<Window> of(List<Map<String, Object>> schedule) {
    List<Window> out = new ArrayList<>();
    if (schedule == null) return out;
    Map<String, List<Integer>> open = new TreeMap<>();
    Map<String, Long> began = new TreeMap<>();
    for (int i = 0; i < schedule.size(); i++) {
      Map<String, Object> step = schedule.get(i);
      String kind = String.valueOf(step.get("kind"));
      long at = at(step);
      open.computeIfAbsent(kind, k -> {
        began.put(k, at);
        return new ArrayList<>();
      }).add(i);
      if (ends(step)) {
        out.add(new Window(kind, open.remove(kind), began.remove(kind), at));
      }
    }
    open.forEach((kind, idx) -> out.add(new Window(kind, idx, began.get(kind), at(schedule.get(idx.get(idx.size() - 1))))));
    out.sort(Comparator.comparingLong(w -> w.startMillis));
    return out;
  }

  /** Whether a step ends its kind's fault: every stop, and the restart of every killed node (one with no node list). */
  private static boolean ends(Map<String, Object> step) {
    // By the kind's own stop: a partition may step its isolated leader's clock, and reset it, inside it.
    return switch (String.valueOf(step.get("kind")) + " " + step.get("f")) {
      case "partition stop-partition", "pause resume", "clock reset-clock", "loss stop-loss", "latency stop-latency" -> true;
      case "kill start" -> !step.containsKey("nodes");
      default -> false;
    };
  }

  private static long at(Map<String, Object> step) {
    return ((Number) step.get("at-ms")).longValue();
  }

  /** The schedule without the steps of {@code dropped}. */
  static List<Map<String, Object>> without(List<Map<String, Object>> schedule, List<Window> dropped) {
    Set<Integer> gone = new java.util.TreeSet<>();
    for (Window w : dropped) gone.addAll(w.steps);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < schedule.size(); i++) if (!gone.contains(i)) out.add(schedule.get(i));
    return out;
  }

  /** Every step moved by {@code deltaMillis}, none before time 0. */
  static List<Map<String, Object>> shifted(List<Map<String, Object>> schedule, long deltaMillis) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> step : schedule) {
      Map<String, Object> moved = new LinkedHashMap<>(step);
      moved.put("at-ms", Math.max(0, at(step) + deltaMillis));
      out.add(moved);
    }
    return out;
  }

  /** The schedule's steps before {@code millis}: what a run with that time limit gets to apply. */
  static List<Map<String, Object>> before(List<Map<String, Object>> schedule, long millis) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> step : schedule) if (at(step) < millis) out.add(step);
    return out;
  }

  /** The schedule with {@code w} in force half as long: its stop moved earlier, its later steps dropped. */
  static List<Map<String, Object>> halved(List<Map<String, Object>> schedule, Window w) {
    long stop = w.startMillis + w.lengthMillis() / 2;
    int last = w.steps.get(w.steps.size() - 1);
    boolean stops = ends(schedule.get(last));
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < schedule.size(); i++) {
      Map<String, Object> step = schedule.get(i);
      if (!w.steps.contains(i) || i == w.steps.get(0)) {
        out.add(step);
      } else if (i == last && stops) {
        Map<String, Object> moved = new LinkedHashMap<>(step);
        moved.put("at-ms", stop);
        out.add(moved);
      } else if (at(step) < stop) {
        out.add(step);
      }
    }
    out.sort(Comparator.comparingLong(Window::at));
    return out;
  }

  /**
   * The schedule on the first {@code nodes} of the cluster: node lists, orders and clock offsets
   * keep those nodes only; a step left with no node is dropped, and so is a whole window that no
   * longer means anything (a partition shape the smaller cluster cannot take, a degraded link of a
   * node that is gone, any network fault on one node).
   */
  static List<Map<String, Object>> onNodes(List<Map<String, Object>> schedule, List<String> nodes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Window w : of(schedule)) {
      List<Map<String, Object>> kept = new ArrayList<>();
      boolean whole = true;
      for (int i : w.steps) {
        Map<String, Object> step = onNodes(schedule.get(i), nodes);
        if (step == DROP_WINDOW) {
          whole = false;
          break;
        }
        if (step != null) kept.add(step);
      }
      if (whole) out.addAll(kept);
    }
    out.sort(Comparator.comparingLong(Window::at));
    return out;
  }

  private static final Map<String, Object> DROP_WINDOW = Map.of();

  /** One step on fewer nodes: the step, null to drop it, or {@link #DROP_WINDOW}. */
  private static Map<String, Object> onNodes(Map<String, Object> step, List<String> nodes) {
    Map<String, Object> s = new LinkedHashMap<>(step);
    String f = String.valueOf(s.get("f"));
    String kind = String.valueOf(s.get("kind"));
    if (nodes.size() < 2 && (kind.equals("partition") || kind.equals("loss") || kind.equals("latency"))) return DROP_WINDOW;
    switch (f) {
      case "start-partition" -> {
        List<String> order = kept(s.get("order"), nodes);
        if (!Grudges.shapesFor(nodes.size()).contains(String.valueOf(s.get("shape")))) return DROP_WINDOW;
        s.put("order", order);
      }
      case "kill", "pause" -> {
        List<String> named = kept(s.get("nodes"), nodes);
        if (named.isEmpty() && !"leader".equals(s.get("target"))) return null;
        s.put("nodes", named);
      }
      case "start" -> {
        if (s.containsKey("nodes")) {
          List<String> named = kept(s.get("nodes"), nodes);
          if (named.isEmpty()) return null;
          s.put("nodes", named);
        }
      }
      case "bump-clock" -> {
        if (s.containsKey("node")) {
          String node = String.valueOf(s.get("node"));
          if (!node.equals("leader") && !nodes.contains(node)) return null;
        } else if (s.get("offsets-ms") instanceof Map<?, ?> offsets) {
          Map<String, Object> keep = new LinkedHashMap<>();
          offsets.forEach((n, ms) -> {
            if (n.equals("leader") || nodes.contains(String.valueOf(n))) keep.put(String.valueOf(n), ms);
          });
          if (keep.isEmpty()) return null;
          s.put("offsets-ms", keep);
        }
      }
      case "start-loss", "start-latency" -> {
        String scope = String.valueOf(s.get("scope"));
        if (!scope.equals("all") && !nodes.contains(scope)) return DROP_WINDOW;
      }
      default -> {}
    }
    return s;
  }

  private static List<String> kept(Object list, List<String> nodes) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) for (Object o : l) if (nodes.contains(String.valueOf(o))) out.add(String.valueOf(o));
    return out;
  }

  @Override
  public String toString() {
    return kind + " " + startMillis + ".." + stopMillis + " ms";
  }
}
