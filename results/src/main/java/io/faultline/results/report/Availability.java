package io.faultline.results.report;

import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Availability per fault window: of the operations invoked while a fault was in force, the share
 * that completed ok, for the whole cluster, per node the client talked to, and per side of a
 * partition. The row "no fault in force" is the baseline to read the others against: a workload
 * whose cas operations often find another value never reaches 100%, faults or not.
 */
final class Availability {
  private Availability() {}

  /** Operations and how many of them completed ok. */
  static final class Share {
    long ok;
    long total;

    void add(boolean wasOk) {
      total++;
      if (wasOk) ok++;
    }
  }

  /**
   * @param window the fault, or null for the time no fault was in force
   * @param sides each side of a partition with its share, in the window's order
   */
  record Row(FaultWindows.Window window, Share all, Map<String, Share> byNode, List<Share> sides) {}

  static List<Row> of(List<FaultWindows.Window> windows, List<Operation> ops, List<String> nodes) {
    List<Row> rows = new ArrayList<>();
    Row baseline = row(null, nodes);
    for (FaultWindows.Window w : windows) rows.add(row(w, nodes));
    for (Operation op : ops) {
      long t = op.invoke().time();
      String node = op.invoke().node();
      boolean ok = OpTable.type(op) == OpTable.OK;
      boolean inAny = false;
      for (Row r : rows) {
        FaultWindows.Window w = r.window();
        if (t < w.startNanos() || t >= w.endNanos()) continue;
        inAny = true;
        add(r, node, ok);
      }
      if (!inAny) add(baseline, node, ok);
    }
    rows.add(0, baseline);
    return rows;
  }

  private static Row row(FaultWindows.Window w, List<String> nodes) {
    Map<String, Share> byNode = new TreeMap<>();
    for (String n : nodes) byNode.put(n, new Share());
    List<Share> sides = new ArrayList<>();
    if (w != null && w.sides().size() > 1) for (int i = 0; i < w.sides().size(); i++) sides.add(new Share());
    return new Row(w, new Share(), byNode, sides);
  }

  private static void add(Row r, String node, boolean ok) {
    r.all().add(ok);
    if (node == null) return;
    r.byNode().computeIfAbsent(node, k -> new Share()).add(ok);
    if (r.window() == null) return;
    List<List<String>> sides = r.window().sides();
    for (int i = 0; i < r.sides().size(); i++) if (sides.get(i).contains(node)) r.sides().get(i).add(ok);
  }
}
