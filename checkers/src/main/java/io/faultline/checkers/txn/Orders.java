package io.faultline.checkers.txn;

import java.util.HashMap;
import java.util.Map;

/** Process and real-time order, as edges: what sessions and wall clocks add to the data dependencies. */
final class Orders {
  private Orders() {}

  /** Each process's committed transactions, one after another. */
  static void process(Txns txns, Graph.Edges edges, Budget budget) {
    Map<Long, Integer> last = new HashMap<>();
    for (int t = 0; t < txns.count; t++) {
      budget.tick();
      if (txns.type[t] != Txns.OK) continue;
      Integer before = last.put(txns.process[t], t);
      if (before != null) edges.add(before, t, Graph.PROCESS);
    }
  }

  /**
   * a precedes b when a completed before b was invoked. Every committed transaction precedes every one
   * invoked after it, but a transitive reduction is enough for cycles: an invocation is linked from
   * the completions not yet followed by another completion that already follows them. Committed
   * transactions are the predecessors, committed and indeterminate ones the successors; one with no
   * invocation has no place in this order.
   */
  static void realtime(Txns txns, Graph.Edges edges, Budget budget) {
    int positions = 0;
    for (int t = 0; t < txns.count; t++) {
      positions = Math.max(positions, Math.max(txns.invokePos[t], txns.completePos[t]) + 1);
    }
    // At each record position, the transaction invoked (t + 1) or completed (-(t + 1)) there.
    int[] at = new int[positions];
    for (int t = 0; t < txns.count; t++) {
      if (txns.invokePos[t] < 0) continue;
      if (txns.type[t] == Txns.FAIL) continue;
      at[txns.invokePos[t]] = t + 1;
      if (txns.type[t] == Txns.OK) at[txns.completePos[t]] = -(t + 1);
    }
    IntList frontier = new IntList();
    int[] linkStart = new int[txns.count];
    int[] linkEnd = new int[txns.count];
    IntList links = new IntList();
    int[] mark = new int[txns.count];
    for (int pos = 0; pos < positions; pos++) {
      budget.tick();
      int e = at[pos];
      if (e > 0) {
        int t = e - 1;
        linkStart[t] = links.size();
        for (int i = 0; i < frontier.size(); i++) {
          edges.add(frontier.get(i), t, Graph.REALTIME);
          links.add(frontier.get(i));
        }
        linkEnd[t] = links.size();
      } else if (e < 0) {
        int t = -e - 1;
        for (int i = linkStart[t]; i < linkEnd[t]; i++) mark[links.get(i)] = t + 1;
        int w = 0;
        for (int i = 0; i < frontier.size(); i++) {
          int x = frontier.get(i);
          if (mark[x] != t + 1) frontier.set(w++, x);
        }
        frontier.truncate(w);
        frontier.add(t);
      }
    }
  }
}
