package io.faultline.results.report;

import io.faultline.checkers.history.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fault windows of a history: each nemesis record that starts a fault paired with the record
 * that ends it, named for people ("partition halves: n1 | n2 n3", "kill n3 (leader)").
 *
 * <p>The nemesis runs one thread per fault kind and each alternates start and stop, so windows of
 * one kind do not overlap; a start while a window of its kind is open closes that window first. A
 * window still open when the history ends is closed there and marked open.
 */
final class FaultWindows {
  private FaultWindows() {}

  /**
   * One fault in force.
   *
   * @param kind partition, kill, pause, clock, loss or latency
   * @param name what people read on the plots
   * @param startNanos, endNanos when it was in force, in history time
   * @param openAtEnd never healed within the history
   * @param sides for a partition, the groups of nodes that could still talk among themselves (one
   *     group when the grudge leaves everyone connected, as a bridge does); empty for other kinds
   * @param nodes the nodes the fault was applied to (all of them for a partition)
   */
  record Window(String kind, String name, long startNanos, long endNanos, boolean openAtEnd,
      List<List<String>> sides, List<String> nodes) {}

  /** A nemesis record, for markers. */
  record Event(long timeNanos, String f, String text) {}

  private static final Map<String, String> OPENS = Map.of(
      "start-partition", "partition", "kill", "kill", "pause", "pause", "bump-clock", "clock",
      "start-loss", "loss", "start-latency", "latency");
  private static final Map<String, String> CLOSES = Map.of(
      "stop-partition", "partition", "start", "kill", "resume", "pause", "reset-clock", "clock",
      "stop-loss", "loss", "stop-latency", "latency");

  static List<Event> events(List<Op> records) {
    List<Event> out = new ArrayList<>();
    for (Op op : records) {
      if (op.isClient() || op.time() < 0) continue;
      out.add(new Event(op.time(), op.f(), op.f() + (op.value() == null ? "" : " " + Text.compact(op.value(), 160))));
    }
    return out;
  }

  /** @param cluster every node of the cluster, since a grudge names only the nodes that drop something */
  static List<Window> of(List<Op> records, long endNanos, List<String> cluster) {
    Map<String, Op> open = new LinkedHashMap<>();
    List<Window> windows = new ArrayList<>();
    for (Op op : records) {
      if (op.isClient() || op.time() < 0 || op.f() == null) continue;
      String opens = OPENS.get(op.f());
      String closes = CLOSES.get(op.f());
      if (opens != null) {
        Op previous = open.remove(opens);
        if (previous != null) windows.add(window(opens, previous, op.time(), false, cluster));
        open.put(opens, op);
      } else if (closes != null) {
        Op started = open.remove(closes);
        if (started != null) windows.add(window(closes, started, op.time(), false, cluster));
      }
    }
    for (Map.Entry<String, Op> e : open.entrySet()) {
      windows.add(window(e.getKey(), e.getValue(), Math.max(endNanos, e.getValue().time()), true, cluster));
    }
    windows.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    return windows;
  }

  private static Window window(String kind, Op start, long end, boolean openAtEnd, List<String> cluster) {
    Map<?, ?> value = start.value() instanceof Map<?, ?> m ? m : Map.of();
    List<List<String>> sides = List.of();
    List<String> nodes = strings(value.get("nodes"));
    String name;
    switch (kind) {
      case "partition" -> {
        Map<String, List<String>> grudge = grudge(value.get("grudge"));
        for (String n : cluster) grudge.putIfAbsent(n, List.of());
        sides = sides(grudge);
        nodes = List.copyOf(grudge.keySet());
        String shape = value.get("shape") == null ? "" : " " + value.get("shape");
        StringBuilder sb = new StringBuilder("partition").append(shape);
        if (sides.size() > 1) {
          sb.append(": ");
          for (int i = 0; i < sides.size(); i++) sb.append(i == 0 ? "" : " | ").append(String.join(" ", sides.get(i)));
        } else if (!grudge.isEmpty()) {
          sb.append(": ").append(cutLinks(grudge)).append(" cut");
        }
        name = sb.toString();
      }
      case "kill", "pause" -> {
        Object target = value.get("target");
        name = kind + " " + (nodes.isEmpty() ? "no node" : String.join(" ", nodes))
            + (target == null ? "" : " (" + target + ")");
      }
      case "clock" -> {
        nodes = new ArrayList<>();
        StringBuilder sb = new StringBuilder("clock");
        for (Map.Entry<?, ?> e : value.entrySet()) {
          if (!(e.getValue() instanceof Number n)) continue;
          nodes.add(String.valueOf(e.getKey()));
          long ms = n.longValue();
          sb.append(' ').append(e.getKey()).append(' ').append(ms >= 0 ? "+" : "").append(ms).append(" ms");
        }
        name = sb.toString();
      }
      case "loss" -> name = "loss " + value.get("loss-percent") + "%" + scope(value);
      case "latency" -> name = "latency " + value.get("delay-ms") + " ms ± " + value.get("jitter-ms") + scope(value);
      default -> name = kind;
    }
    if (value.get("error") != null) name += " (failed: " + Text.clip(String.valueOf(value.get("error")), 80) + ")";
    return new Window(kind, name, start.time(), end, openAtEnd, sides, nodes);
  }

  private static String scope(Map<?, ?> value) {
    return value.get("scope") == null ? "" : " (" + value.get("scope") + ")";
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof Collection<?> c) for (Object x : c) out.add(String.valueOf(x));
    return out;
  }

  private static Map<String, List<String>> grudge(Object o) {
    Map<String, List<String>> g = new TreeMap<>();
    if (o instanceof Map<?, ?> m) for (Map.Entry<?, ?> e : m.entrySet()) g.put(String.valueOf(e.getKey()), strings(e.getValue()));
    return g;
  }

  /**
   * Groups of nodes joined by links the grudge leaves up both ways: nodes that can still reach each
   * other, directly or through others of their group.
   */
  static List<List<String>> sides(Map<String, List<String>> grudge) {
    TreeSet<String> nodes = new TreeSet<>(grudge.keySet());
    for (List<String> l : grudge.values()) nodes.addAll(l);
    Map<String, String> parent = new TreeMap<>();
    for (String n : nodes) parent.put(n, n);
    for (String a : nodes) {
      for (String b : nodes) {
        if (a.compareTo(b) >= 0) continue;
        boolean aDropsB = grudge.getOrDefault(a, List.of()).contains(b);
        boolean bDropsA = grudge.getOrDefault(b, List.of()).contains(a);
        if (!aDropsB && !bDropsA) parent.put(find(parent, a), find(parent, b));
      }
    }
    Map<String, List<String>> groups = new TreeMap<>();
    for (String n : nodes) groups.computeIfAbsent(find(parent, n), k -> new ArrayList<>()).add(n);
    List<List<String>> out = new ArrayList<>(groups.values());
    out.sort((x, y) -> x.get(0).compareTo(y.get(0)));
    return out;
  }

  private static String find(Map<String, String> parent, String n) {
    while (!parent.get(n).equals(n)) n = parent.get(n);
    return n;
  }

  private static String cutLinks(Map<String, List<String>> grudge) {
    TreeSet<String> links = new TreeSet<>();
    for (Map.Entry<String, List<String>> e : grudge.entrySet()) {
      for (String other : e.getValue()) {
        String a = e.getKey().compareTo(other) < 0 ? e.getKey() : other;
        String b = a.equals(e.getKey()) ? other : e.getKey();
        links.add(a + "–" + b);
      }
    }
    return String.join(" ", links);
  }
}
