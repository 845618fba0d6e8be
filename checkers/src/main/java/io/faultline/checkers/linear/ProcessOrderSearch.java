package io.faultline.checkers.linear;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sequential consistency of a set of operations: is there one order of them, legal for the model,
 * in which each process's operations keep the order it issued them in? Real time between processes
 * does not count, which is all that sets it apart from linearizability.
 *
 * <p>A configuration is how far each process has got and the model state of every part (the
 * operations may span keys: sequential consistency is not compositional, so keys that are each
 * consistent alone may still have no common order). The search is depth first over configurations,
 * each explored once. An indeterminate operation (info, or pending at the end) is its process's
 * last, since Jepsen retires the process; it may be placed anywhere or never, so a configuration is
 * final once every determinate operation is placed. Processes are tried in the order their next
 * operations were invoked, so a linearizable history is found along its real-time order first, and a
 * legal read-only next operation is placed at once without branching: it changes no state, so placing
 * it now never removes an order that placing it later would allow.
 */
final class ProcessOrderSearch {
  private final Model model;
  private final List<List<Operation>> sequences = new ArrayList<>();
  private final int[] determinate;
  private final Object[] initial;
  private final Map<Operation, Integer> partIndex = new HashMap<>();
  private final long deadlineNanos;
  private final long memoryBudget;
  private final int size;

  /** A configuration: how many operations of each process are placed, and each part's state. */
  private record Config(int[] placed, Object[] states) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Config c && Arrays.equals(placed, c.placed) && Arrays.equals(states, c.states);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(placed) + Arrays.hashCode(states);
    }
  }

  ProcessOrderSearch(Model model, List<Operation> operations, long deadlineNanos, long memoryBudget) {
    this.model = model;
    this.deadlineNanos = deadlineNanos;
    this.memoryBudget = memoryBudget;
    Map<Object, List<Operation>> byProcess = new LinkedHashMap<>();
    Map<Object, Integer> parts = new LinkedHashMap<>();
    int n = 0;
    for (Operation op : operations) {
      if (op.isIndeterminate() && model.isReadOnly(op)) continue;
      byProcess.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
      partIndex.put(op, parts.computeIfAbsent(model.partition(op), k -> parts.size()));
      n++;
    }
    size = n;
    determinate = new int[byProcess.size()];
    int p = 0;
    for (List<Operation> seq : byProcess.values()) {
      sequences.add(seq);
      for (Operation op : seq) if (!op.isIndeterminate()) determinate[p]++;
      p++;
    }
    initial = new Object[parts.size()];
    int i = 0;
    for (Object key : parts.keySet()) initial[i++] = model.init(key);
  }

  /** The verdict for these operations, named {@code partition} in the result. */
  PartitionVerdict run(Object partition) {
    Set<Config> seen = new HashSet<>();
    ArrayDeque<Config> stack = new ArrayDeque<>();
    Config start = new Config(new int[sequences.size()], initial.clone());
    stack.push(start);
    seen.add(start);
    Config furthest = start;
    int furthestPlaced = 0;
    long weight = 48L + 4L * sequences.size() + 8L * initial.length + 64;
    long steps = 0;
    while (!stack.isEmpty()) {
      Config c = stack.pop();
      if (done(c)) return new PartitionVerdict(partition, Validity.TRUE, "", size, seen.size(), null);
      if ((++steps & 255) == 0 && System.nanoTime() > deadlineNanos) {
        return new PartitionVerdict(partition, Validity.UNKNOWN, "timed out after " + seen.size() + " configurations",
            size, seen.size(), null);
      }
      if (seen.size() * weight > memoryBudget) {
        return new PartitionVerdict(partition, Validity.UNKNOWN, "out of memory budget after " + seen.size()
            + " configurations", size, seen.size(), null);
      }
      int placed = Arrays.stream(c.placed()).sum();
      if (placed > furthestPlaced) {
        furthestPlaced = placed;
        furthest = c;
      }
      List<Config> next = successors(c);
      for (int i = next.size() - 1; i >= 0; i--) {
        if (seen.add(next.get(i))) stack.push(next.get(i));
      }
    }
    return new PartitionVerdict(partition, Validity.FALSE, stuck(furthest, furthestPlaced), size, seen.size(), null);
  }

  private boolean done(Config c) {
    for (int p = 0; p < determinate.length; p++) if (c.placed()[p] < determinate[p]) return false;
    return true;
  }

  /** Successors, most promising first: the earliest invoked next operation first. */
  private List<Config> successors(Config c) {
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < sequences.size(); p++) if (c.placed()[p] < sequences.get(p).size()) order.add(p);
    order.sort(Comparator.comparingLong(p -> sequences.get(p).get(c.placed()[p]).callPosition()));
    List<Config> out = new ArrayList<>();
    for (int p : order) {
      Operation op = sequences.get(p).get(c.placed()[p]);
      int part = partIndex.get(op);
      if (!op.isIndeterminate() && model.isDeterministic() && model.isReadOnly(op)) {
        if (model.step(c.states()[part], op) != Model.ILLEGAL) return List.of(advance(c, p, part, c.states()[part]));
        continue;
      }
      model.stepAll(c.states()[part], op, s -> out.add(advance(c, p, part, s)));
    }
    return out;
  }

  private static Config advance(Config c, int p, int part, Object state) {
    int[] placed = c.placed().clone();
    placed[p]++;
    Object[] states = c.states();
    if (state != states[part]) {
      states = states.clone();
      states[part] = state;
    }
    return new Config(placed, states);
  }

  /** Why no order exists, from the configuration that placed the most operations. */
  private String stuck(Config c, int placed) {
    StringBuilder sb = new StringBuilder("no order keeps every process's own order: after " + placed + " of " + size
        + " operations, no process's next operation is legal:");
    for (int p = 0; p < sequences.size(); p++) {
      if (c.placed()[p] >= determinate[p]) continue;
      Operation op = sequences.get(p).get(c.placed()[p]);
      sb.append(" ").append(op).append(" (index ").append(op.invoke().index()).append(", state ")
          .append(model.describe(c.states()[partIndex.get(op)])).append(");");
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}
