package io.faultline.checkers.linear;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a part that is not linearizable to a small set of its operations that still proves it:
 * the core, found by delta debugging (Zeller's ddmin) over the part's operations.
 *
 * <p>Only changes that cannot turn a linearizable history into a refuted one are made, so a refuted
 * candidate proves the whole part refuted: an operation outside the core is dropped when it is a
 * read, and otherwise kept as indeterminate (it may take effect at any moment after its call, or
 * never). A read never justifies anything, and an indeterminate write can do whatever the write did
 * and more; so the core is not "wrong" for want of the writes it left out.
 */
final class CoreShrink {
  private final Model model;
  private final Object partition;
  private final List<Operation> operations;
  private final long deadlineNanos;
  private final long memoryBudget;
  private int checks;

  private CoreShrink(Model model, Object partition, List<Operation> operations, long deadlineNanos, long memoryBudget) {
    this.model = model;
    this.partition = partition;
    this.operations = operations;
    this.deadlineNanos = deadlineNanos;
    this.memoryBudget = memoryBudget;
  }

  /**
   * The core of a refuted part: every candidate kept refutes, so the answer does; with the deadline
   * passed, the smallest found so far, not known to be minimal.
   */
  static Counterexample.Core of(Model model, Object partition, List<Operation> operations, long failurePosition,
      long deadlineNanos, long memoryBudget) {
    CoreShrink prefix = new CoreShrink(model, partition, truncate(model, operations, failurePosition), deadlineNanos,
        memoryBudget);
    CoreShrink shrink = prefix;
    // Small windows first: each is cheap, and one that refutes needs no check of the whole prefix
    // (which, with a million operations, may take the whole budget).
    List<Operation> start = prefix.lastWindowThatRefutes(prefix.determinate());
    if (start == null) {
      start = prefix.determinate();
      if (!prefix.refutes(start)) {
        shrink = new CoreShrink(model, partition, operations, deadlineNanos, memoryBudget);
        shrink.checks = prefix.checks; // the prefix's checks count too
        start = shrink.lastWindowThatRefutes(shrink.determinate());
        if (start == null) start = shrink.determinate();
      }
    }
    Counterexample.Core core = shrink.shrink(start);
    // The free operations as recorded, not as the shrink freed them.
    java.util.Map<Integer, Operation> recorded = new java.util.HashMap<>();
    for (Operation op : operations) recorded.put(op.id(), op);
    List<Operation> free = core.free().stream().map(op -> recorded.getOrDefault(op.id(), op)).toList();
    return new Counterexample.Core(core.kept(), free, core.minimal(), core.checks());
  }

  /**
   * The part up to the failure: operations called after it left out, and those still open at it
   * dropped if reads and free otherwise. Sound for the same reason as the core: every operation kept
   * as it is returned by then, so precedes whatever was called later in any linearization, and only
   * free ones can follow what was left out.
   */
  private static List<Operation> truncate(Model model, List<Operation> operations, long failurePosition) {
    List<Operation> out = new ArrayList<>();
    for (Operation op : operations) {
      if (op.callPosition() > failurePosition) continue;
      if (op.isIndeterminate() || op.returnPosition() <= failurePosition) {
        out.add(op);
      } else if (!model.isReadOnly(op)) {
        out.add(free(op));
      }
    }
    return out;
  }

  private static Operation free(Operation op) {
    return op.isIndeterminate() ? op : new Operation(op.id(), op.invoke(), null, op.callPosition(), Long.MAX_VALUE);
  }

  /** The operations a core may keep: the determinate ones. */
  private List<Operation> determinate() {
    List<Operation> out = new ArrayList<>();
    for (Operation op : operations) if (!op.isIndeterminate()) out.add(op);
    return out;
  }

  private Counterexample.Core shrink(List<Operation> start) {
    List<Operation> core = start;
    int n = 2;
    while (core.size() >= 2) {
      if (System.nanoTime() > deadlineNanos) return found(core, false);
      List<List<Operation>> chunks = split(core, n);
      boolean reduced = false;
      for (List<Operation> chunk : chunks) {
        if (refutes(chunk)) {
          core = chunk;
          n = 2;
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        for (List<Operation> chunk : chunks) {
          List<Operation> rest = new ArrayList<>(core);
          rest.removeAll(chunk);
          if (refutes(rest)) {
            core = rest;
            n = Math.max(n - 1, 2);
            reduced = true;
            break;
          }
        }
      }
      if (!reduced) {
        if (n >= core.size()) break;
        n = Math.min(2 * n, core.size());
      }
      if (System.nanoTime() > deadlineNanos) return found(core, false);
    }
    return found(core, true);
  }

  private Counterexample.Core found(List<Operation> core, boolean minimal) {
    java.util.Set<Integer> kept = new java.util.HashSet<>();
    for (Operation op : core) kept.add(op.id());
    List<Operation> free = new ArrayList<>();
    for (Operation op : operations) {
      if (!kept.contains(op.id()) && !model.isReadOnly(op)) free.add(op);
    }
    return new Counterexample.Core(List.copyOf(core), List.copyOf(free), minimal, checks);
  }

  /**
   * The fewest of the operations that returned last (1, 4, 16, ...) that refute, or null when no
   * window smaller than all of them does: a violation usually lies just before the failure, and a
   * small candidate is cheap to check, so the delta debugging starts from a few operations instead of
   * halving thousands.
   */
  private List<Operation> lastWindowThatRefutes(List<Operation> ops) {
    List<Operation> byReturn = new ArrayList<>(ops);
    byReturn.sort((a, b) -> Long.compare(b.returnPosition(), a.returnPosition()));
    for (int k = 1; k < byReturn.size() && System.nanoTime() < deadlineNanos; k *= 4) {
      java.util.Set<Operation> window = new java.util.HashSet<>(byReturn.subList(0, k));
      List<Operation> inOrder = new ArrayList<>(k);
      for (Operation op : ops) if (window.contains(op)) inOrder.add(op);
      if (refutes(inOrder)) return inOrder;
    }
    return null;
  }

  private static List<List<Operation>> split(List<Operation> ops, int n) {
    List<List<Operation>> out = new ArrayList<>(n);
    int size = ops.size();
    for (int i = 0; i < n; i++) {
      int from = (int) ((long) size * i / n);
      int to = (int) ((long) size * (i + 1) / n);
      if (to > from) out.add(new ArrayList<>(ops.subList(from, to)));
    }
    return out;
  }

  /** True when the part with only these operations kept as they are is still refuted. */
  private boolean refutes(List<Operation> kept) {
    checks++;
    java.util.Set<Integer> keep = new java.util.HashSet<>();
    for (Operation op : kept) keep.add(op.id());
    List<Operation> candidate = new ArrayList<>(operations.size());
    for (Operation op : operations) {
      if (keep.contains(op.id())) {
        candidate.add(op);
      } else if (!model.isReadOnly(op)) {
        candidate.add(free(op));
      }
    }
    PartitionVerdict v = new Search(model, partition, candidate, deadlineNanos, memoryBudget).run();
    return v.validity() == Validity.FALSE;
  }
}
