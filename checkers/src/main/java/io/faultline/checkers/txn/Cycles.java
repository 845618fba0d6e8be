package io.faultline.checkers.txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cycles of a dependency graph: its strongly connected components, then in each, one short
 * cycle per anomaly class, most severe first, skipping a class that one already found implies (as
 * Elle does: a G0 cycle is a G1c cycle too, and a search for it would only find the same).
 */
final class Cycles {
  private Cycles() {}

  static final List<CycleSearch.Spec> SPECS = new ArrayList<>();
  static final Set<String> CLASSES = new LinkedHashSet<>();

  static {
    for (byte variant : new byte[] {0, Graph.PROCESS, Graph.REALTIME}) {
      for (CycleSearch.Shape shape : CycleSearch.Shape.values()) SPECS.add(new CycleSearch.Spec(shape, variant));
    }
    for (CycleSearch.Spec s : SPECS) CLASSES.add(s.name());
  }

  /** When a search is cut short, the weaker claim still provable cheaply: which subgraph has a cycle at all. */
  private record Exists(String model, int mask) {}

  private static final List<Exists> EXISTS = List.of(
      new Exists("PL-1", Graph.WW),
      new Exists("PL-2", Graph.WW | Graph.WR),
      new Exists("PL-3", Graph.DATA),
      new Exists("strong-session-PL-1", Graph.WW | Graph.PROCESS),
      new Exists("strong-session-PL-2", Graph.WW | Graph.WR | Graph.PROCESS),
      new Exists("strong-session-serializable", Graph.DATA | Graph.PROCESS),
      new Exists("strong-PL-1", Graph.WW | Graph.REALTIME),
      new Exists("strong-PL-2", Graph.WW | Graph.WR | Graph.REALTIME),
      new Exists("PL-SS", Graph.DATA | Graph.REALTIME));

  /** @return {components with more than one transaction} */
  static int[] search(Graph g, Txns txns, Inference inference, Budget budget, long steps, List<Cycle> out) {
    int[] comp = new int[g.n];
    int comps = g.components(0xFF, comp, budget);
    int[] size = new int[comps + 1];
    for (int v = 0; v < g.n; v++) size[comp[v] + 1]++;
    int[] start = new int[comps + 1];
    for (int c = 0; c < comps; c++) start[c + 1] = start[c] + size[c + 1];
    int[] members = new int[g.n];
    int[] fill = java.util.Arrays.copyOf(start, comps);
    for (int v = 0; v < g.n; v++) members[fill[comp[v]]++] = v;
    int[] local = new int[g.n];
    java.util.Arrays.fill(local, -1);
    int searched = 0;
    for (int c = 0; c < comps; c++) {
      if (start[c + 1] - start[c] < 2) continue;
      searched++;
      int[] vertices = java.util.Arrays.copyOfRange(members, start[c], start[c + 1]);
      Graph sub = g.among(vertices, local);
      budget.reserve(sub.n * 32L * 13, "searching a component of " + sub.n + " transactions for cycles");
      int present = 0;
      for (byte k : sub.kinds) present |= k;
      CycleSearch search = new CycleSearch(sub, budget, steps);
      Set<String> implied = new LinkedHashSet<>();
      List<String> cutShort = new ArrayList<>();
      for (CycleSearch.Spec spec : SPECS) {
        String name = spec.name();
        if (implied.contains(name)) continue;
        if ((spec.allowed() & present & spec.start()) == 0) continue;
        if (spec.variant() != 0 && (present & spec.variant()) == 0) continue;
        CycleSearch.Found f = search.find(spec);
        if (f.vertices() != null) {
          int[] ts = new int[f.vertices().length];
          for (int i = 0; i < ts.length; i++) ts[i] = vertices[f.vertices()[i]];
          out.add(Cycle.of(name, ts, f.kinds(), txns, inference));
          implied.addAll(Isolation.implied(List.of(name)));
        } else if (f.cutShort()) {
          cutShort.add(name);
        }
      }
      if (!cutShort.isEmpty()) {
        Map<String, Object> c0 = new LinkedHashMap<>();
        c0.put("text", "the search for " + String.join(", ", cutShort) + " cycles among " + sub.n
            + " strongly connected transactions (from the one at " + Explain.where(txns, vertices[0])
            + ") stopped after " + steps + " steps each, before finding one or ruling it out");
        c0.put("scc-size", sub.n);
        c0.put("cut-short", cutShort);
        inference.found("cycle-search-timeout", c0);
        cycleExists(sub, vertices, txns, inference, budget);
      }
    }
    return new int[] {searched};
  }

  private static void cycleExists(Graph sub, int[] vertices, Txns txns, Inference inference, Budget budget) {
    int[] comp = new int[sub.n];
    for (Exists e : EXISTS) {
      int comps = sub.components(e.mask(), comp, budget);
      if (comps == sub.n) continue;
      int[] size = new int[comps];
      for (int v = 0; v < sub.n; v++) size[comp[v]]++;
      int best = -1;
      for (int c = 0; c < comps; c++) if (size[c] > 1 && (best < 0 || size[c] < size[best])) best = c;
      Map<String, Object> c0 = new LinkedHashMap<>();
      String model = Isolation.friendly(e.model());
      c0.put("text", "a cycle of " + edgeNames(e.mask()) + " edges exists among " + size[best]
          + " transactions (from the one at " + Explain.where(txns, vertices[firstIn(comp, best)])
          + "), so " + model + " cannot hold, though no cycle of it was named in time");
      c0.put("not", model);
      c0.put("scc-size", size[best]);
      inference.found(e.model() + "-cycle-exists", c0);
    }
  }

  private static int firstIn(int[] comp, int c) {
    for (int v = 0; v < comp.length; v++) if (comp[v] == c) return v;
    return 0;
  }

  private static String edgeNames(int mask) {
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= Graph.REALTIME; k <<= 1) if ((mask & k) != 0) names.add(Graph.kindName((byte) k));
    return String.join("/", names);
  }
}
