package io.faultline.checkers.txn;

import java.util.Arrays;

/**
 * Finds, in one strongly connected component, a short cycle of one anomaly class: a breadth-first
 * search from one edge of the kind the class cannot do without, back to where it started, over the
 * edge kinds the class allows, in a product of vertex and the little the class must remember (how
 * many rw edges so far, whether the last was rw, whether a wr or a process/real-time edge was seen).
 * A search gives up past a number of steps, so a pathological component costs a bounded time and the
 * verdict says the search was cut short.
 */
final class CycleSearch {
  /** The shape of a cycle class, before its process and real-time variants. */
  enum Shape {
    /** ww edges only. */
    G0("G0"),
    /** ww and wr edges, at least one wr. */
    G1C("G1c"),
    /** ww and wr edges and exactly one rw. */
    G_SINGLE("G-single-item"),
    /** two or more rw edges, no two next to each other. */
    G_NONADJACENT("G-nonadjacent-item"),
    /** two or more rw edges, some next to each other. */
    G2_ITEM("G2-item");

    final String name;

    Shape(String name) {
      this.name = name;
    }

    boolean usesRw() {
      return this == G_SINGLE || this == G_NONADJACENT || this == G2_ITEM;
    }
  }

  /** One class to look for: a shape and, for its variants, the edge kind it needs at least once. */
  record Spec(Shape shape, byte variant) {
    String name() {
      return shape.name + (variant == Graph.PROCESS ? "-process" : variant == Graph.REALTIME ? "-realtime" : "");
    }

    int allowed() {
      int m = shape == Shape.G0 ? Graph.WW : Graph.WW | Graph.WR;
      if (shape.usesRw()) m |= Graph.RW;
      return m | variant;
    }

    /** The kind every cycle of the class has, so that the search starts from an edge of it. */
    byte start() {
      if (shape.usesRw()) return Graph.RW;
      if (shape == Shape.G1C) return Graph.WR;
      return variant != 0 ? variant : Graph.WW;
    }
  }

  /** What a search found: a cycle (vertices and the kind of each edge, the last back to the first), or nothing. */
  record Found(int[] vertices, byte[] kinds, boolean cutShort) {}

  // State bits.
  private static final int LAST_RW = 1;
  private static final int MANY_RW = 2;
  private static final int ADJACENT = 4;
  private static final int SAW_WR = 8;
  private static final int SAW_VARIANT = 16;
  private static final int STATES = 32;

  private final Graph g;
  private final Budget budget;
  private final long stepLimit;
  private int[] stamp;
  private int[] parent;
  private byte[] parentKind;
  private int[] queue;
  private int generation;

  CycleSearch(Graph g, Budget budget, long stepLimit) {
    this.g = g;
    this.budget = budget;
    this.stepLimit = stepLimit;
  }

  /** A cycle of the class, or null cycle when there is none (cutShort when the step limit stopped it first). */
  Found find(Spec spec) {
    int allowed = spec.allowed();
    // Tarjan over the allowed kinds (the rw-less ones for G-single) rules out most start edges at once.
    int[] comp = new int[g.n];
    int reachMask = spec.shape == Shape.G_SINGLE ? allowed & ~Graph.RW : allowed;
    g.components(reachMask, comp, budget);
    long steps = 0;
    byte start = spec.start();
    for (int u = 0; u < g.n; u++) {
      for (int e = g.off[u]; e < g.off[u + 1]; e++) {
        if ((g.kinds[e] & start) == 0) continue;
        int v = g.adj[e];
        if (spec.shape == Shape.G_SINGLE ? comp[v] < comp[u] : comp[v] != comp[u]) continue;
        long[] used = {0};
        Found f = bfs(spec, allowed, u, v, start, stepLimit - steps, used);
        steps += used[0];
        if (f != null) return f;
        if (steps >= stepLimit) return new Found(null, null, true);
      }
    }
    return new Found(null, null, false);
  }

  private Found bfs(Spec spec, int allowed, int a, int b, byte firstKind, long limit, long[] used) {
    if (stamp == null) {
      stamp = new int[g.n * STATES];
      parent = new int[g.n * STATES];
      parentKind = new byte[g.n * STATES];
      queue = new int[g.n * STATES];
    }
    if (++generation == Integer.MAX_VALUE) {
      Arrays.fill(stamp, 0);
      generation = 1;
    }
    int s0 = next(spec, 0, firstKind, true);
    int head = 0;
    int tail = 0;
    int first = b * STATES + s0;
    stamp[first] = generation;
    parent[first] = -1;
    parentKind[first] = firstKind;
    queue[tail++] = first;
    long steps = 0;
    while (head < tail) {
      int cur = queue[head++];
      int u = cur / STATES;
      int st = cur % STATES;
      for (int e = g.off[u]; e < g.off[u + 1]; e++) {
        int ks = g.kinds[e] & allowed;
        if (ks == 0) continue;
        int w = g.adj[e];
        if (++steps > limit) {
          used[0] = steps;
          return null;
        }
        budget.tick();
        for (int k = 1; k <= Graph.REALTIME; k <<= 1) {
          if ((ks & k) == 0) continue;
          int st2 = next(spec, st, (byte) k, false);
          if (st2 < 0) continue;
          if (w == a) {
            if (accepts(spec, st2)) {
              used[0] = steps;
              return path(cur, a, (byte) k, firstKind);
            }
            continue;
          }
          int slot = w * STATES + st2;
          if (stamp[slot] == generation) continue;
          stamp[slot] = generation;
          parent[slot] = cur;
          parentKind[slot] = (byte) k;
          queue[tail++] = slot;
        }
      }
    }
    used[0] = steps;
    return null;
  }

  /** The state after taking an edge of kind k, or -1 when the class cannot take it there. */
  private static int next(Spec spec, int st, byte k, boolean first) {
    int s = st;
    if (k == Graph.RW) {
      if (!first) {
        if (spec.shape == Shape.G_SINGLE) return -1;
        if ((s & LAST_RW) != 0) {
          if (spec.shape == Shape.G_NONADJACENT) return -1;
          s |= ADJACENT;
        }
        s |= MANY_RW;
      }
      s |= LAST_RW;
    } else {
      s &= ~LAST_RW;
    }
    if (k == Graph.WR) s |= SAW_WR;
    if (k == Graph.PROCESS || k == Graph.REALTIME) s |= SAW_VARIANT;
    return s;
  }

  /** Whether a path that closes the cycle in state st is of the class; the first edge is rw for rw shapes. */
  private static boolean accepts(Spec spec, int st) {
    if (spec.variant != 0 && (st & SAW_VARIANT) == 0) return false;
    return switch (spec.shape) {
      case G0, G_SINGLE -> true;
      case G1C -> (st & SAW_WR) != 0;
      // The last edge meets the first, an rw: adjacent when the last is rw too.
      case G_NONADJACENT -> (st & MANY_RW) != 0 && (st & LAST_RW) == 0;
      case G2_ITEM -> (st & MANY_RW) != 0 && ((st & ADJACENT) != 0 || (st & LAST_RW) != 0);
    };
  }

  private Found path(int last, int a, byte closing, byte firstKind) {
    IntList vs = new IntList();
    java.io.ByteArrayOutputStream ks = new java.io.ByteArrayOutputStream();
    // Walk back from the last vertex before a to b, collecting the kind of the edge into each.
    for (int cur = last; cur >= 0; cur = parent[cur]) {
      vs.add(cur / STATES);
      ks.write(parent[cur] >= 0 ? parentKind[cur] : firstKind);
    }
    int len = vs.size() + 1;
    int[] vertices = new int[len];
    byte[] kinds = new byte[len];
    byte[] into = ks.toByteArray();
    vertices[0] = a;
    for (int i = 0; i < vs.size(); i++) {
      vertices[i + 1] = vs.get(vs.size() - 1 - i);
      // kinds[i] is the edge from vertices[i] to vertices[i + 1].
      kinds[i] = into[vs.size() - 1 - i];
    }
    kinds[len - 1] = closing;
    return new Found(vertices, kinds, false);
  }
}
