package io.faultline.results.report;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The availability half of the CAP/BASE table: of the client operations invoked while a fault was
 * in force, the share that completed ok and how long the ok ones took, on each side of it, against
 * the run's own baseline (the time no fault was in force). A partition's sides are its majority
 * (a component with more than half the nodes) and its minorities; a kill's or a pause's are the
 * nodes it struck and the rest. An operation counts on the side of the node that answered it (or
 * that it was sent to, when none answered).
 *
 * <p>A CP system refuses its minority (availability near 0 there) and an AP system serves it (near
 * the baseline): the row says which this run was, in figures rather than in a claim.
 */
public final class CapAvailability {
  private CapAvailability() {}

  /** Operations on one side: how many, how many ok, and the ok ones' latency. */
  static final class Side {
    long total;
    long ok;
    long[] latencies = new long[16];
    int latencyCount;

    void add(Operation op) {
      total++;
      if (op.completion() == null || op.completion().type() != OpType.OK) return;
      ok++;
      if (latencyCount == latencies.length) latencies = Arrays.copyOf(latencies, latencyCount * 2);
      latencies[latencyCount++] = op.completion().time() - op.invoke().time();
    }

    Map<String, Object> data() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("operations", total);
      m.put("ok", ok);
      m.put("ok-share", total == 0 ? null : Math.round(1000.0 * ok / total) / 1000.0);
      long[] sorted = Arrays.copyOf(latencies, latencyCount);
      Arrays.sort(sorted);
      m.put("p50-ms", sorted.length == 0 ? null : millis(sorted[(sorted.length - 1) / 2]));
      m.put("p99-ms", sorted.length == 0 ? null : millis(sorted[(int) Math.ceil(0.99 * sorted.length) - 1]));
      return m;
    }

    private static double millis(long nanos) {
      return Math.round(nanos / 1e4) / 100.0;
    }
  }

  /**
   * {@code baseline}, {@code partition} ({@code majority}, {@code minority}), {@code kill} and
   * {@code pause} ({@code struck}, {@code others}), each side with {@code operations}, {@code ok},
   * {@code ok-share} and the ok operations' {@code p50-ms} and {@code p99-ms}; and {@code windows},
   * how many windows of each kind there were. Plain data for results.json.
   */
  public static Map<String, Object> of(History history, List<String> nodes) {
    List<Op> records = history.records();
    long end = records.isEmpty() ? 0 : records.get(records.size() - 1).time();
    List<FaultWindows.Window> windows = FaultWindows.of(records, end, nodes);
    Side baseline = new Side();
    Side majority = new Side();
    Side minority = new Side();
    Map<String, Side[]> struck = new LinkedHashMap<>();
    struck.put("kill", new Side[] {new Side(), new Side()});
    struck.put("pause", new Side[] {new Side(), new Side()});
    Map<String, Long> counts = new LinkedHashMap<>();
    for (FaultWindows.Window w : windows) counts.merge(w.kind(), 1L, Long::sum);
    for (Operation op : history.operations()) {
      if (!op.invoke().isClient() || op.invoke().time() < 0) continue;
      long t = op.invoke().time();
      // The node that answered: an operation a minority node redirected to the majority's leader
      // was served by the majority, and counts there.
      String node = op.completion() != null && op.completion().node() != null ? op.completion().node() : op.invoke().node();
      boolean faulted = false;
      for (FaultWindows.Window w : windows) {
        if (t < w.startNanos() || t >= w.endNanos()) continue;
        faulted = true;
        if (node == null) continue;
        switch (w.kind()) {
          case "partition" -> {
            for (List<String> side : w.sides()) {
              if (!side.contains(node) || w.sides().size() < 2) continue;
              (2 * side.size() > nodes.size() ? majority : minority).add(op);
            }
          }
          case "kill", "pause" -> struck.get(w.kind())[w.nodes().contains(node) ? 0 : 1].add(op);
          default -> {
            // clock, loss and latency windows count as faulted time but have no sides here
          }
        }
      }
      if (!faulted) baseline.add(op);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("baseline", baseline.data());
    Map<String, Object> partition = new LinkedHashMap<>();
    partition.put("majority", majority.data());
    partition.put("minority", minority.data());
    out.put("partition", partition);
    for (Map.Entry<String, Side[]> e : struck.entrySet()) {
      Map<String, Object> sides = new LinkedHashMap<>();
      sides.put("struck", e.getValue()[0].data());
      sides.put("others", e.getValue()[1].data());
      out.put(e.getKey(), sides);
    }
    out.put("windows", new LinkedHashMap<>(counts));
    return out;
  }

  /** The sides in the order the table shows them, for readers of the data above. */
  public static List<String[]> columns() {
    List<String[]> c = new ArrayList<>();
    c.add(new String[] {"baseline"});
    c.add(new String[] {"partition", "majority"});
    c.add(new String[] {"partition", "minority"});
    c.add(new String[] {"kill", "struck"});
    c.add(new String[] {"pause", "struck"});
    return c;
  }
}
