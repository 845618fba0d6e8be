package io.faultline.checkers.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one test run in real-time order, with each client invocation paired with its
 * completion. Construction rejects histories that cannot have happened: a process that invokes while
 * it still has an operation open, a completion with no invocation, a completion whose function
 * differs from its invocation's, or a process that invokes again after an {@code info} completion.
 */
public final class History {
  private final String source;
  private final List<Op> records;
  private final List<Operation> operations;
  private final List<String> warnings;

  private History(String source, List<Op> records, List<Operation> operations, List<String> warnings) {
    this.source = source;
    this.records = records;
    this.operations = operations;
    this.warnings = warnings;
  }

  /** An empty history. */
  public static History empty() {
    return new History(null, List.of(), List.of(), List.of());
  }

  /**
   * Pairs and validates records given in real-time order.
   *
   * @param source a name for messages (usually the file), or null
   * @throws HistoryException naming the line (or index) of the first impossible record
   */
  public static History of(String source, List<Op> records) {
    List<Op> ops = new ArrayList<>(records.size());
    List<Operation> operations = new ArrayList<>();
    // Per process: the position and record of its open invocation.
    Map<Object, Integer> openAt = new HashMap<>();
    Map<Object, Op> retiredBy = new HashMap<>();
    List<Op> invokes = new ArrayList<>();
    List<Integer> invokePositions = new ArrayList<>();
    List<int[]> pairs = new ArrayList<>(); // [invokeSlot, completionPosition]
    for (int pos = 0; pos < records.size(); pos++) {
      Op op = records.get(pos);
      if (op.index() < 0) op = op.withIndex(pos);
      ops.add(op);
      if (!op.isClient()) continue;
      Object p = op.process();
      if (op.type() == OpType.INVOKE) {
        Integer open = openAt.get(p);
        if (open != null) {
          Op first = invokes.get(open);
          throw new HistoryException(source, where(op),
              "process " + p + " invokes " + op.f() + " while its " + first.f() + " from "
                  + describeWhere(first) + " is still open; expected a completion first");
        }
        Op retired = retiredBy.get(p);
        if (retired != null) {
          throw new HistoryException(source, where(op),
              "process " + p + " invokes again after its info completion at " + describeWhere(retired)
                  + "; a process whose operation ended in info must continue under a new process id");
        }
        openAt.put(p, invokes.size());
        invokes.add(op);
        invokePositions.add(pos);
      } else {
        Integer slot = openAt.remove(p);
        if (slot == null) {
          throw new HistoryException(source, where(op),
              "process " + p + " completes " + op.f() + " (" + op.type().wireName()
                  + ") with no open invocation; expected an invoke before it");
        }
        Op inv = invokes.get(slot);
        if (inv.f() != null && op.f() != null && !inv.f().equals(op.f())) {
          throw new HistoryException(source, where(op),
              "process " + p + " completes " + op.f() + " but invoked " + inv.f() + " at "
                  + describeWhere(inv) + "; expected the same function");
        }
        if (op.type() == OpType.INFO) retiredBy.put(p, op);
        pairs.add(new int[] {slot, pos});
      }
    }
    Op[] completionOf = new Op[invokes.size()];
    long[] returnPositionOf = new long[invokes.size()];
    java.util.Arrays.fill(returnPositionOf, Long.MAX_VALUE);
    for (int[] pair : pairs) {
      Op completion = ops.get(pair[1]);
      completionOf[pair[0]] = completion;
      if (completion.type() != OpType.INFO) returnPositionOf[pair[0]] = pair[1];
    }
    for (int i = 0; i < invokes.size(); i++) {
      Op inv = ops.get(invokePositions.get(i));
      Op comp = completionOf[i];
      if (comp != null && comp.f() == null && inv.f() != null) comp = withF(comp, inv.f());
      operations.add(new Operation(i, inv, comp, invokePositions.get(i), returnPositionOf[i]));
    }
    return new History(source, Collections.unmodifiableList(ops), Collections.unmodifiableList(operations), List.of());
  }

  /**
   * The records alone, in order, neither paired into operations ({@link #operations()} is empty) nor
   * validated as calls and returns: for checkers that pair completions by themselves. Transactional
   * histories (Elle's own among them) often hold only completions, or one process's invocations in a
   * row, which {@link #of} rightly refuses for a history of calls and returns.
   */
  public static History unpaired(String source, List<Op> records) {
    List<Op> ops = new ArrayList<>(records.size());
    for (int pos = 0; pos < records.size(); pos++) {
      Op op = records.get(pos);
      ops.add(op.index() < 0 ? op.withIndex(pos) : op);
    }
    return new History(source, Collections.unmodifiableList(ops), List.of(), List.of());
  }

  /** This history with what its reader noticed but let pass. */
  History withWarnings(List<String> noticed) {
    return new History(source, records, operations, List.copyOf(noticed));
  }

  private static Op withF(Op op, String f) {
    return new Op(op.index(), op.time(), op.type(), op.process(), f, op.key(), op.value(), op.error(), op.node(), op.line());
  }

  private static int where(Op op) {
    return op.line();
  }

  private static String describeWhere(Op op) {
    return op.line() > 0 ? "line " + op.line() : "index " + op.index();
  }

  /** Where the history came from, or null. */
  public String source() {
    return source;
  }

  /** Every record, client and otherwise, in order. */
  public List<Op> records() {
    return records;
  }

  /** The client operations, in invocation order. */
  public List<Operation> operations() {
    return operations;
  }

  /**
   * What the reader noticed but let pass, one line each naming the source and line: a torn last
   * line it dropped, indices or times out of order. Empty for a history not read from a file.
   */
  public List<String> warnings() {
    return warnings;
  }

  public int size() {
    return records.size();
  }

  public boolean isEmpty() {
    return records.isEmpty();
  }
}
