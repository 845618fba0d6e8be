package io.faultline.checkers.linear;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just-in-time linearization (Wing &amp; Gong, Lowe) of one partition, as a depth-first search over
 * the history's events with memoisation of (event, linearized set, model state).
 *
 * <p>The search walks the calls and returns in real-time order. An operation is linearized only when
 * it must be: at its return, if it is not linearized yet, the search chooses an order of some open
 * operations ending with it. The cheapest choice (the operation alone) is tried first; the others are
 * generated breadth-first only when the search backtracks to that return. Every choice point records
 * its configuration in the {@link Memo}, so no configuration is explored twice.
 *
 * <p>Indeterminate operations (info, or pending at the end) never return; they may take effect at any
 * point after their call, or never. Two of them with the same function and argument are
 * interchangeable, so a configuration counts them per kind instead of naming them, and having more of
 * them unused dominates having fewer. Indeterminate operations that cannot change the state (reads)
 * are dropped before the search.
 */
final class Search {
  private static final byte CALL = 0;
  private static final byte CALL_INDETERMINATE = 1;
  private static final byte RETURN = 2;
  /**
   * The breadth-first sweep gets one step for this many of the depth-first search's: most histories
   * are linearizable, and there the sweep's work is wasted. With 4, the 100k-operation benchmark
   * took half the time it took with equal turns, and refuting stayed fast.
   */
  private static final int BREADTH_SHARE = 4;

  private final Model model;
  private final Object partition;
  private final List<Operation> operations;
  private final Operation[] ops;
  private final int[] slotOf;
  private final boolean[] readOnly;
  private final boolean anyReadOnly;
  private final int[] kindOf;
  /** For a blind determinate operation, the indeterminate kind with the same effect, or -1. */
  private final int[] twinKind;
  private final Operation[] kindExample;
  private final byte[] eventType;
  private final int[] eventOp;
  private final int[] eventOfReturn;
  private final int words;
  /** Per slot: the events at which successive occupants were called, and those occupants. */
  private final int[][] slotCallEvents;
  private final int[][] slotOccupants;
  private final long deadlineNanos;
  private final long memoryBudget;

  /** Configurations after each choice: the search never explores one twice. */
  private final Memo memo = new Memo();
  /** Configurations met while choosing at each return, shared by the choice points at that event. */
  private final Memo closures = new Memo();
  // Successor states, one list per call site: linearizeReturning runs inside expandOpen's loop.
  private final ArrayList<Object> returningStates = new ArrayList<>();
  private final ArrayList<Object> openStates = new ArrayList<>();

  Search(Model model, Object partition, List<Operation> partitionOps, long deadlineNanos, long memoryBudget) {
    this.model = model;
    this.partition = partition;
    this.operations = partitionOps;
    this.deadlineNanos = deadlineNanos;
    this.memoryBudget = memoryBudget;

    List<Operation> kept = new ArrayList<>(partitionOps.size());
    for (Operation op : partitionOps) {
      if (op.isIndeterminate() && model.isReadOnly(op)) continue;
      kept.add(op);
    }
    ops = kept.toArray(new Operation[0]);
    int n = ops.length;

    // Calls come in invocation order already; returns are sorted by position, then merged in.
    int determinate = 0;
    for (Operation op : ops) if (!op.isIndeterminate()) determinate++;
    long[] returns = new long[determinate];
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (!ops[i].isIndeterminate()) returns[r++] = ops[i].returnPosition() * (long) n + i;
    }
    Arrays.sort(returns);
    int events = n + determinate;
    eventType = new byte[events];
    eventOp = new int[events];
    eventOfReturn = new int[n];
    int c = 0;
    r = 0;
    for (int e = 0; e < events; e++) {
      boolean takeCall = c < n
          && (r >= determinate || ops[c].callPosition() < returns[r] / n);
      if (takeCall) {
        eventType[e] = ops[c].isIndeterminate() ? CALL_INDETERMINATE : CALL;
        eventOp[e] = c++;
      } else {
        int op = (int) (returns[r++] % n);
        eventType[e] = RETURN;
        eventOp[e] = op;
        eventOfReturn[op] = e;
      }
    }

    // Slots: the lowest free one at each call, freed at the return.
    slotOf = new int[n];
    kindOf = new int[n];
    readOnly = new boolean[n];
    boolean reads = false;
    for (int i = 0; i < n; i++) {
      readOnly[i] = !ops[i].isIndeterminate() && model.isReadOnly(ops[i]) && model.isDeterministic();
      reads |= readOnly[i];
    }
    anyReadOnly = reads;
    Arrays.fill(slotOf, -1);
    Arrays.fill(kindOf, -1);
    Map<List<Object>, Integer> kinds = new HashMap<>();
    List<Operation> examples = new ArrayList<>();
    java.util.BitSet busy = new java.util.BitSet();
    List<int[]> callsPerSlot = new ArrayList<>();
    List<int[]> occupantsPerSlot = new ArrayList<>();
    int[] fill = new int[0];
    for (int e = 0; e < events; e++) {
      int op = eventOp[e];
      switch (eventType[e]) {
        case CALL -> {
          int s = busy.nextClearBit(0);
          busy.set(s);
          slotOf[op] = s;
          if (s >= callsPerSlot.size()) {
            callsPerSlot.add(new int[4]);
            occupantsPerSlot.add(new int[4]);
            fill = Arrays.copyOf(fill, s + 1);
          }
          int k = fill[s]++;
          if (k == callsPerSlot.get(s).length) {
            callsPerSlot.set(s, Arrays.copyOf(callsPerSlot.get(s), k * 2));
            occupantsPerSlot.set(s, Arrays.copyOf(occupantsPerSlot.get(s), k * 2));
          }
          callsPerSlot.get(s)[k] = e;
          occupantsPerSlot.get(s)[k] = op;
        }
        case CALL_INDETERMINATE -> {
          List<Object> kind = Arrays.asList(ops[op].f(), ops[op].value());
          Integer id = kinds.get(kind);
          if (id == null) {
            id = examples.size();
            kinds.put(kind, id);
            examples.add(ops[op]);
          }
          kindOf[op] = id;
        }
        default -> busy.clear(slotOf[op]);
      }
    }
    int slots = callsPerSlot.size();
    words = Math.max(1, (slots + 63) >>> 6);
    slotCallEvents = new int[slots][];
    slotOccupants = new int[slots][];
    for (int s = 0; s < slots; s++) {
      slotCallEvents[s] = Arrays.copyOf(callsPerSlot.get(s), fill[s]);
      slotOccupants[s] = Arrays.copyOf(occupantsPerSlot.get(s), fill[s]);
    }
    kindExample = examples.toArray(new Operation[0]);
    twinKind = new int[n];
    Arrays.fill(twinKind, -1);
    for (int i = 0; i < n; i++) {
      Operation op = ops[i];
      if (op.isIndeterminate() || op.outcome() != Operation.Outcome.OK || !model.isBlind(op)) continue;
      Integer k = kinds.get(Arrays.asList(op.f(), op.value()));
      if (k != null) twinKind[i] = k;
    }
  }

  /** Choices at one return: orders of open operations that end with the returning one. */
  private final class ChoicePoint {
    final int event;
    final Config base;
    final int returning;
    /** Per slot, the open operation at this event, or -1. */
    final int[] open;
    /** True when an earlier choice point at this event already covered everything this one could. */
    final boolean covered;
    int phase;
    int generated;
    ArrayDeque<Config> ready;
    ArrayDeque<Config> frontier;

    final Memo candidates;
    final Memo closures;

    ChoicePoint(int event, Config base, Memo candidates, Memo closures) {
      this.candidates = candidates;
      this.closures = closures;
      this.event = event;
      this.base = base;
      this.returning = eventOp[event];
      this.open = new int[slotCallEvents.length];
      for (int s = 0; s < open.length; s++) open[s] = occupant(s, event);
      // Choice points at one event never overlap in time (the stack's events increase), so an
      // earlier one here has finished, and whatever it reached from a dominating configuration has
      // been explored.
      this.covered = !closures.add(event, base);
    }

    /** The next configuration, after this return, not explored before; null when none is left. */
    Config next() {
      if (covered) return null;
      while (true) {
        if (ready != null && !ready.isEmpty()) {
          Config cand = ready.poll();
          if (candidates.add(event, cand)) return cand;
          continue;
        }
        if (phase == 0) {
          phase = 1;
          ready = new ArrayDeque<>(2);
          linearizeReturning(base);
          continue;
        }
        if (phase == 1) {
          phase = 2;
          frontier = new ArrayDeque<>();
          frontier.add(base);
        }
        Config d = frontier.poll();
        if (d == null) {
          ready = null;
          return null;
        }
        expandOpen(d);
      }
    }

    private void linearizeReturning(Config from) {
      Operation x = ops[returning];
      assert slotOf[returning] >= 0 : "a returning operation always has a slot";
      stepInto(from.state, x, returningStates);
      while (!returningStates.isEmpty()) {
        Object s = returningStates.remove(returningStates.size() - 1);
        generated++;
        ready.add(saturate(new Config(s, from.bits, from.unused, Trail.extend(from.trail, x, s)), open));
      }
    }

    /** Linearizes one more open operation (not the returning one) or unused indeterminate kind. */
    private void expandOpen(Config d) {
      for (int s = 0; s < open.length; s++) {
        int op = open[s];
        // Open reads are linearized as soon as they are legal (see saturate), so never branched on.
        if (op < 0 || op == returning || readOnly[op] || d.has(s)) continue;
        stepInto(d.state, ops[op], openStates);
        while (!openStates.isEmpty()) {
          Object st = openStates.remove(openStates.size() - 1);
          offer(saturate(new Config(st, d.bitsWith(s), d.unused, Trail.extend(d.trail, ops[op], st)), open));
        }
      }
      for (int k = 0; k < d.unused.length; k++) {
        if (d.unused[k] == 0 || hasOpenTwin(d, k)) continue;
        stepInto(d.state, kindExample[k], openStates);
        while (!openStates.isEmpty()) {
          Object st = openStates.remove(openStates.size() - 1);
          // Using one that changes nothing can only be dominated by not using it.
          if (java.util.Objects.equals(st, d.state)) continue;
          offer(saturate(new Config(st, d.bits, d.unusedWith(k, -1), Trail.extend(d.trail, kindExample[k], st)), open));
        }
      }
    }

    /**
     * True when an open, not yet linearized determinate operation has the same blind effect as the
     * indeterminate kind. Linearizing it instead dominates using the indeterminate one: the unused
     * one can later stand in wherever the determinate one would have been placed.
     */
    private boolean hasOpenTwin(Config d, int kind) {
      for (int s = 0; s < open.length; s++) {
        int op = open[s];
        if (op >= 0 && op != returning && twinKind[op] == kind && !d.has(s)) return true;
      }
      return false;
    }

    private void offer(Config e) {
      if (!closures.add(event, e)) return;
      frontier.add(e);
      linearizeReturning(e);
    }
  }

  /**
   * The configuration with every open read that is legal in its state linearized. Linearizing a
   * legal read early never loses a linearization (it changes no state, and a later position for it
   * can simply be dropped), so the saturated configuration dominates the others, and reads are
   * never branched on.
   */
  private Config saturate(Config c, int[] open) {
    if (!anyReadOnly) return c;
    long[] bits = null;
    Trail trail = c.trail;
    for (int s = 0; s < open.length; s++) {
      int op = open[s];
      if (op < 0 || !readOnly[op] || c.has(s)) continue;
      if (model.step(c.state, ops[op]) == Model.ILLEGAL) continue;
      if (bits == null) bits = c.bits.clone();
      bits[s >>> 6] |= 1L << s;
      trail = Trail.extend(trail, ops[op], c.state);
    }
    return bits == null ? c : new Config(c.state, bits, c.unused, trail);
  }

  /** The operation occupying the slot at the event (called before it, returning after), or -1. */
  private int occupant(int slot, int event) {
    int[] calls = slotCallEvents[slot];
    int i = Arrays.binarySearch(calls, event);
    if (i < 0) i = -i - 2;
    if (i < 0) return -1;
    int op = slotOccupants[slot][i];
    return eventOfReturn[op] > event ? op : -1;
  }

  private void stepInto(Object state, Operation op, List<Object> out) {
    if (model.isDeterministic()) {
      Object s = model.step(state, op);
      if (s != Model.ILLEGAL) out.add(s);
    } else {
      model.stepAll(state, op, out::add);
    }
  }

  /**
   * Runs the search to a verdict. Two searches share the work, in turns of growing length, and the
   * first to answer wins: the depth-first one finds a linearization of a linearizable history
   * quickly, and the breadth-first one, which prunes dominated configurations at every event,
   * refutes a non-linearizable one with less work than exhausting the depth-first search. Turns are
   * counted in steps, not time, so the answer and its counterexample do not depend on the machine.
   */
  PartitionVerdict run() {
    if (ops.length == 0) {
      return new PartitionVerdict(partition, Validity.TRUE, "", operations.size(), 0, null);
    }
    Depth depth = new Depth();
    Breadth breadth = new Breadth();
    long turn = 1 << 8;
    while (true) {
      PartitionVerdict v = depth.advance(turn);
      if (v == null) v = breadth.advance(turn / BREADTH_SHARE);
      if (v != null) return v;
      String why = outOfLimits(Math.max(depth.event, breadth.event), breadth.bytes());
      if (why != null) return unknown(why);
      turn = Math.min(turn * 2, 1 << 16);
    }
  }

  private Config initial() {
    return new Config(model.init(partition), new long[words], new int[kindExample.length], null);
  }

  /** The configuration after a call, or after a return already linearized; null when a choice is needed. */
  private Config passThrough(Config c, int e) {
    int op = eventOp[e];
    switch (eventType[e]) {
      case CALL:
        if (readOnly[op] && model.step(c.state, ops[op]) != Model.ILLEGAL) {
          return new Config(c.state, c.bitsWith(slotOf[op]), c.unused, Trail.extend(c.trail, ops[op], c.state));
        }
        return c;
      case CALL_INDETERMINATE:
        return new Config(c.state, c.bits, c.unusedWith(kindOf[op], +1), c.trail);
      default:
        return c.has(slotOf[op]) ? new Config(c.state, c.bitsWithout(slotOf[op]), c.unused, c.trail) : null;
    }
  }

  private PartitionVerdict linearizable() {
    return new PartitionVerdict(partition, Validity.TRUE, "", operations.size(), explored(), null);
  }

  private PartitionVerdict notLinearizable(int event, Config before) {
    return new PartitionVerdict(partition, Validity.FALSE,
        "operation cannot be linearized: " + ops[eventOp[event]],
        operations.size(), explored(), counterexample(event, before));
  }

  /** Depth-first, with memoisation; lazy at each return. */
  private final class Depth {
    final ArrayList<ChoicePoint> stack = new ArrayList<>();
    Config c = initial();
    int event;
    boolean backtracking;
    int furthestEvent = -1;
    Config furthestConfig;

    PartitionVerdict advance(long budget) {
      int events = eventType.length;
      for (long spent = 0; spent < budget; spent++) {
        if (backtracking) {
          if (stack.isEmpty()) return notLinearizable(furthestEvent, furthestConfig);
          ChoicePoint top = stack.get(stack.size() - 1);
          Config resumed = top.next();
          if (resumed == null) {
            noteDeadEnd(top);
            stack.remove(stack.size() - 1);
          } else {
            c = resumed;
            event = top.event + 1;
            backtracking = false;
          }
          continue;
        }
        if (event >= events) return linearizable();
        Config next = passThrough(c, event);
        if (next == null) {
          ChoicePoint cp = new ChoicePoint(event, c, memo, closures);
          stack.add(cp);
          next = cp.next();
          if (next == null) {
            noteDeadEnd(cp);
            stack.remove(stack.size() - 1);
            backtracking = true;
            continue;
          }
        }
        c = next;
        event++;
      }
      return null;
    }

    private void noteDeadEnd(ChoicePoint cp) {
      if (!cp.covered && cp.generated == 0 && cp.event > furthestEvent) {
        furthestEvent = cp.event;
        furthestConfig = cp.base;
      }
    }
  }

  /** Breadth-first: every configuration alive after each event, dominated ones pruned. */
  private final class Breadth {
    List<Config> alive = new ArrayList<>(List.of(initial()));
    int event;
    int index;
    Memo next = new Memo();
    Memo closuresHere = new Memo();

    PartitionVerdict advance(long budget) {
      for (long spent = 0; spent < budget; spent++) {
        if (event >= eventType.length) return linearizable();
        if (index < alive.size()) {
          Config c = alive.get(index++);
          Config passed = passThrough(c, event);
          if (passed != null) {
            next.add(event, passed);
          } else {
            ChoicePoint cp = new ChoicePoint(event, c, next, closuresHere);
            while (cp.next() != null) {
              // Each choice is recorded in next by the choice point itself.
            }
          }
          continue;
        }
        List<Config> survivors = next.kept();
        if (survivors.isEmpty()) {
          Config furthest = alive.get(0);
          for (Config c : alive) {
            if (trailLength(c) > trailLength(furthest)) furthest = c;
          }
          return notLinearizable(event, furthest);
        }
        alive = survivors;
        index = 0;
        event++;
        next = new Memo();
        closuresHere = new Memo();
      }
      return null;
    }

    long bytes() {
      return next.bytes() + closuresHere.bytes() + alive.size() * 96L;
    }
  }

  private static int trailLength(Config c) {
    return c.trail == null ? 0 : c.trail.length();
  }

  private long explored() {
    return memo.entries() + closures.entries();
  }

  private String outOfLimits(int event, long otherBytes) {
    if (System.nanoTime() > deadlineNanos) {
      return "timed out at event " + event + " of " + eventType.length + " after exploring "
          + explored() + " configurations";
    }
    if (memo.bytes() + closures.bytes() + otherBytes > memoryBudget) {
      return "search outgrew its memory budget of " + (memoryBudget >> 20) + " MiB ("
          + explored() + " configurations) at event " + event + " of " + eventType.length;
    }
    return null;
  }

  private PartitionVerdict unknown(String why) {
    return new PartitionVerdict(partition, Validity.UNKNOWN, why, operations.size(), explored(), null);
  }

  private Counterexample counterexample(int furthestEvent, Config at) {
    List<Counterexample.Step> steps = new ArrayList<>();
    for (Trail t = at.trail; t != null; t = t.previous()) {
      steps.add(new Counterexample.Step(t.op(), model.describe(t.stateAfter())));
    }
    java.util.Collections.reverse(steps);
    int failing = eventOp[furthestEvent];
    List<Counterexample.Attempt> attempts = new ArrayList<>();
    String state = model.describe(at.state);
    attempts.add(new Counterexample.Attempt(ops[failing],
        "no order of the open operations lets it take effect after state " + state));
    for (int s = 0; s < slotCallEvents.length; s++) {
      if (at.has(s)) continue;
      int op = occupant(s, furthestEvent);
      if (op < 0 || op == failing) continue;
      stepInto(at.state, ops[op], openStates);
      boolean legal = !openStates.isEmpty();
      openStates.clear();
      if (!legal) attempts.add(new Counterexample.Attempt(ops[op], "illegal in state " + state));
    }
    return new Counterexample(model.name(), partition, model.describe(model.init(partition)),
        operations, steps, ops[failing], ops[failing].returnPosition(), attempts);
  }
}
