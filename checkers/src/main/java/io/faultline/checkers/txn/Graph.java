package io.faultline.checkers.txn;

import java.util.Arrays;

/**
 * A dependency graph over transactions numbered 0 to n - 1, in compressed sparse rows: the edges of
 * vertex v are adj[off[v]] to adj[off[v + 1] - 1], sorted, each with the kinds that link the pair
 * as bits. No self-edges: a transaction that depends on itself is an internal anomaly, not a cycle.
 */
final class Graph {
  static final byte WW = 1;
  static final byte WR = 2;
  static final byte RW = 4;
  static final byte PROCESS = 8;
  static final byte REALTIME = 16;
  static final byte DATA = WW | WR | RW;

  final int n;
  final int[] off;
  final int[] adj;
  final byte[] kinds;

  private Graph(int n, int[] off, int[] adj, byte[] kinds) {
    this.n = n;
    this.off = off;
    this.adj = adj;
    this.kinds = kinds;
  }

  int edges() {
    return off[n];
  }

  /** The kinds that link a to b, or 0. */
  byte kinds(int a, int b) {
    int i = Arrays.binarySearch(adj, off[a], off[a + 1], b);
    return i < 0 ? 0 : kinds[i];
  }

  static String kindName(byte kind) {
    return switch (kind) {
      case WW -> "ww";
      case WR -> "wr";
      case RW -> "rw";
      case PROCESS -> "process";
      case REALTIME -> "realtime";
      default -> "?";
    };
  }

  /** Edges as they are found, duplicates and all, before {@link #build}. */
  static final class Edges {
    private int[] src = new int[1024];
    private int[] dst = new int[1024];
    private byte[] kind = new byte[1024];
    private int size;
    private final Budget budget;

    Edges(Budget budget) {
      this.budget = budget;
    }

    void add(int from, int to, byte k) {
      if (from == to) return;
      if (size == src.length) {
        int grown = size + (size >> 1);
        budget.reserve(grown * 9L * 2, "the dependency graph of " + grown + " edges");
        src = Arrays.copyOf(src, grown);
        dst = Arrays.copyOf(dst, grown);
        kind = Arrays.copyOf(kind, grown);
      }
      src[size] = from;
      dst[size] = to;
      kind[size] = k;
      size++;
    }

    int size() {
      return size;
    }
  }

  /** Sorts and merges: one entry per linked pair, with every kind that links it. */
  static Graph build(int n, Edges e, Budget budget) {
    budget.reserve(e.size * 9L + n * 4L, "the dependency graph of " + e.size + " edges");
    int[] off = new int[n + 1];
    for (int i = 0; i < e.size; i++) off[e.src[i] + 1]++;
    for (int v = 0; v < n; v++) off[v + 1] += off[v];
    long[] packed = new long[e.size];
    int[] fill = Arrays.copyOf(off, n);
    for (int i = 0; i < e.size; i++) packed[fill[e.src[i]]++] = ((long) e.dst[i] << 8) | e.kind[i];
    // Merged in place: duplicates shrink each row, so rows are packed down as they are read.
    int[] adj = new int[e.size];
    byte[] kinds = new byte[e.size];
    int w = 0;
    int rowStart = 0;
    for (int v = 0; v < n; v++) {
      int from = rowStart;
      int to = off[v + 1];
      rowStart = to;
      if (to - from > 1) Arrays.sort(packed, from, to);
      off[v] = w;
      for (int i = from; i < to; i++) {
        int d = (int) (packed[i] >>> 8);
        byte k = (byte) packed[i];
        if (w > off[v] && adj[w - 1] == d) {
          kinds[w - 1] |= k;
        } else {
          adj[w] = d;
          kinds[w] = k;
          w++;
        }
      }
      budget.tick();
    }
    off[n] = w;
    return new Graph(n, off, Arrays.copyOf(adj, w), Arrays.copyOf(kinds, w));
  }

  /**
   * The graph among the given vertices alone, renumbered 0 to vertices.length - 1 in that order.
   *
   * @param local scratch of size n, every entry -1; left so on return
   */
  Graph among(int[] vertices, int[] local) {
    for (int i = 0; i < vertices.length; i++) local[vertices[i]] = i;
    int[] o = new int[vertices.length + 1];
    IntList a = new IntList(vertices.length * 4);
    java.io.ByteArrayOutputStream k = new java.io.ByteArrayOutputStream(vertices.length * 4);
    for (int i = 0; i < vertices.length; i++) {
      int v = vertices[i];
      for (int j = off[v]; j < off[v + 1]; j++) {
        int l = local[adj[j]];
        if (l >= 0) {
          a.add(l);
          k.write(kinds[j]);
        }
      }
      o[i + 1] = a.size();
    }
    for (int v : vertices) local[v] = -1;
    // Rows stay sorted only if renumbering kept the order; binary search needs them sorted.
    Graph g = new Graph(vertices.length, o, a.toArray(), k.toByteArray());
    g.sortRows();
    return g;
  }

  private void sortRows() {
    for (int v = 0; v < n; v++) {
      int from = off[v];
      int to = off[v + 1];
      boolean sorted = true;
      for (int i = from + 1; i < to && sorted; i++) sorted = adj[i - 1] < adj[i];
      if (sorted) continue;
      long[] row = new long[to - from];
      for (int i = from; i < to; i++) row[i - from] = ((long) adj[i] << 8) | kinds[i];
      Arrays.sort(row);
      for (int i = from; i < to; i++) {
        adj[i] = (int) (row[i - from] >>> 8);
        kinds[i] = (byte) row[i - from];
      }
    }
  }

  /**
   * Strongly connected components over the edges with a kind in {@code mask}, by Tarjan's algorithm
   * with an explicit stack (a history of a million transactions would overflow the call stack).
   * Components are numbered as they close, so when u reaches v, comp[u] >= comp[v].
   *
   * @return the number of components; {@code comp} gets each vertex's
   */
  int components(int mask, int[] comp, Budget budget) {
    int[] index = new int[n];
    int[] low = new int[n];
    Arrays.fill(index, -1);
    boolean[] onStack = new boolean[n];
    int[] stack = new int[n];
    int sp = 0;
    int[] callV = new int[n];
    int[] callE = new int[n];
    int top = -1;
    int counter = 0;
    int comps = 0;
    for (int s = 0; s < n; s++) {
      if (index[s] >= 0) continue;
      callV[++top] = s;
      callE[top] = off[s];
      index[s] = low[s] = counter++;
      stack[sp++] = s;
      onStack[s] = true;
      while (top >= 0) {
        int v = callV[top];
        int e = callE[top];
        int end = off[v + 1];
        boolean descended = false;
        for (; e < end; e++) {
          if ((kinds[e] & mask) == 0) continue;
          int w = adj[e];
          if (index[w] < 0) {
            callE[top] = e + 1;
            callV[++top] = w;
            callE[top] = off[w];
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = true;
            descended = true;
            break;
          } else if (onStack[w] && index[w] < low[v]) {
            low[v] = index[w];
          }
        }
        if (descended) continue;
        budget.tick();
        if (low[v] == index[v]) {
          int w;
          do {
            w = stack[--sp];
            onStack[w] = false;
            comp[w] = comps;
          } while (w != v);
          comps++;
        }
        top--;
        if (top >= 0) {
          int u = callV[top];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
    return comps;
  }
}
