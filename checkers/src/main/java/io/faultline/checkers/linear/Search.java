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
 *
 * <p>For models whose writes only grow the state (appends, adds: {@link Model#onlyGrows}), reads are
 * judged as soon as they can be, not at their return. A configuration dies once an open read, or the
 * next read to be called, can no longer grow out of its state; and a state that no read can see
 * before a write replaces it is {@link #UNSEEN}, so the orders of appends that the write erases are
 * one configuration. Without this, every return multiplies the configurations by the orders of the
 * concurrent appends, of which the next read keeps one: with 100 clients on 10 keys the search ran
 * out of memory on histories of 2,000 operations.
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
  /**
   * The relaxed sweep (see {@link #run}) gets one step for this many of the depth-first search's. Its
   * configurations differ only in state and window, so it is cheap where it matters, and on
   * linearizable histories it is wasted work.
   */
  private static final int RELAXED_SHARE = 2;

  private final Model model;
  private final Object partition;
  private final List<Operation> operations;
  private final Operation[] ops;
  private final int[] slotOf;
  private final boolean[] readOnly;
  private final boolean anyReadOnly;
  /**
   * Per operation: a read that only growing operations can come before, from its call to its return
   * (no write or indeterminate reset overlaps it), so a state it can no longer grow into is dead.
   */
  private final boolean[] growsInto;
  /** Per event: a read called after it that every state there must still grow into, or -1. */
  private final int[] nextRead;
  /** Per operation: it may reset a growing state (neither a read nor growing). */
  private final boolean[] resetting;
  /** Per operation: a reset whose effect depends on the state, so it observes it (a compare-and-set). */
  private final boolean[] observing;
  /** Per event: whether an observing operation is called after it and before the next read returns. */
  private final boolean[] observerAhead;
  /** Per event: how many reads are called after it; they are the first ones of {@link #readsAhead}. */
  private final int[] firstReadAhead;
  /** The reads, from the last called to the first. */
  private int[] readsAhead = new int[0];
  /** Whether any operation only grows: only then are reads judged early or states found unseen. */
  private boolean anyGrowing;
  /**
   * The indeterminate kinds that may reset a growing state: a few writes, where the kinds of unique
   * appends may run to thousands (in a core's shrink, where every other operation is free).
   */
  private int[] resettingKinds = new int[0];
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
    growsInto = new boolean[n];
    nextRead = new int[events];
    resetting = new boolean[n];
    observing = new boolean[n];
    observerAhead = new boolean[events];
    firstReadAhead = new int[events];
    Arrays.fill(nextRead, -1);
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
    judgeReadsEarly();
  }

  /**
   * The reads that {@link Model#mayGrowInto} may judge early, found in one sweep over the events.
   *
   * <p>A read qualifies as open ({@link #growsInto}) when no operation that may reset the state
   * (neither a read nor growing) could take effect between its call and its return, unless the reset
   * is harmless to it: blind, and leaving a state the read cannot grow into either. Operations that
   * returned before an event are linearized in every configuration at it.
   *
   * <p>And every state at an event must still grow into the next read called after it
   * ({@link #nextRead}), as that read comes after everything linearized by then, unless a harmful
   * reset is called in between; resets open at the event are judged per configuration instead
   * ({@link #harmfulResetPending}), as some of them are linearized already.
   */
  private void judgeReadsEarly() {
    resettingKinds = java.util.stream.IntStream.range(0, kindExample.length)
        .filter(k -> !model.onlyGrows(kindExample[k])).toArray();
    for (int i = 0; i < ops.length; i++) {
      resetting[i] = !readOnly[i] && !model.onlyGrows(ops[i]);
      anyGrowing |= model.onlyGrows(ops[i]);
    }
    if (!anyGrowing) return;
    List<Integer> live = new ArrayList<>();
    List<Integer> openReads = new ArrayList<>();
    List<Integer> resetCalls = new ArrayList<>();
    int previousReadCall = -1;
    int[] readCalledBefore = new int[ops.length];
    long[] latestHarmfulCall = new long[ops.length];
    for (int e = 0; e < eventType.length; e++) {
      int op = eventOp[e];
      boolean read = readOnly[op] && ops[op].outcome() == Operation.Outcome.OK;
      if (eventType[e] == RETURN) {
        if (resetting[op]) live.remove((Integer) op);
        if (read) {
          openReads.remove((Integer) op);
          long since = previousReadCallPosition(readCalledBefore[op]);
          long latest = Long.MIN_VALUE;
          for (int j = resetCalls.size() - 1; j >= 0 && ops[resetCalls.get(j)].callPosition() > since; j--) {
            if (harmful(resetCalls.get(j), op)) latest = Math.max(latest, ops[resetCalls.get(j)].callPosition());
          }
          latestHarmfulCall[op] = latest;
        }
        continue;
      }
      if (resetting[op]) {
        live.add(op);
        resetCalls.add(op);
        for (int g : openReads) growsInto[g] &= !harmful(op, g);
      }
      if (read) {
        boolean ok = true;
        for (int r : live) ok &= !harmful(r, op);
        growsInto[op] = ok;
        openReads.add(op);
        readCalledBefore[op] = previousReadCall;
        previousReadCall = op;
      }
    }
    List<Long> observerCalls = new ArrayList<>();
    for (int i = 0; i < ops.length; i++) {
      observing[i] = resetting[i] && !model.overwrites(ops[i]);
      if (observing[i]) observerCalls.add(ops[i].callPosition());
    }
    long[] observers = observerCalls.stream().mapToLong(Long::longValue).sorted().toArray();
    int next = -1;
    int readsAfter = 0;
    List<Integer> calledReads = new ArrayList<>();
    for (int e = eventType.length - 1; e >= 0; e--) {
      int op = eventOp[e];
      long position = eventType[e] == RETURN ? ops[op].returnPosition() : ops[op].callPosition();
      nextRead[e] = next >= 0 && latestHarmfulCall[next] <= position ? next : -1;
      // The reads that may come before the next one called, and whether anything else may observe.
      firstReadAhead[e] = calledReads.size();
      long horizon = next >= 0 ? ops[next].returnPosition() : Long.MAX_VALUE;
      observerAhead[e] = countBelow(observers, horizon) > countBelow(observers, position + 1);
      if (eventType[e] != RETURN && readOnly[op] && ops[op].outcome() == Operation.Outcome.OK) {
        next = op;
        calledReads.add(op);
      }
    }
    readsAhead = new int[calledReads.size()];
    for (int j = 0; j < readsAhead.length; j++) readsAhead[j] = calledReads.get(j);
  }

  /**
   * True when no read and no other observer can see the configuration's state before a write
   * replaces it: the open reads and the reads that may come before the next one called cannot grow
   * out of it. Before an overwriting returning operation only the open reads count.
   */
  private boolean unseen(Config c, int[] open, int event, boolean beforeOverwrite) {
    if (!anyGrowing || c.state == UNSEEN) return false;
    for (int s = 0; s < open.length; s++) {
      int op = open[s];
      if (op < 0 || c.has(s)) continue;
      if (observing[op] || readOnly[op] && model.mayGrowInto(c.state, ops[op])) return false;
    }
    for (int k : resettingKinds) {
      if (c.unused[k] > 0 && !model.overwrites(kindExample[k])) return false;
    }
    if (beforeOverwrite) return true;
    if (observerAhead[event]) return false;
    // readsAhead runs from the last read called to the first; firstReadAhead[e] counts those after e.
    int first = firstReadAhead[event] - 1;
    if (first < 0) return true;
    long horizon = ops[readsAhead[first]].returnPosition();
    for (int j = first; j >= 0 && ops[readsAhead[j]].callPosition() < horizon; j--) {
      if (model.mayGrowInto(c.state, ops[readsAhead[j]])) return false;
    }
    return true;
  }

  /** How many of the sorted values are below the bound. */
  private static int countBelow(long[] sorted, long bound) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private long previousReadCallPosition(int read) {
    return read < 0 ? Long.MIN_VALUE : ops[read].callPosition();
  }

  /**
   * True when the reset may leave a state from which the read can still be satisfied: its effect
   * depends on the state before it, or the state it writes may grow into the read.
   */
  private boolean harmful(int reset, int read) {
    return !harmless(ops[reset], read);
  }

  private boolean harmless(Operation reset, int read) {
    if (!model.overwrites(reset)) return false;
    Object written = model.step(model.init(partition), reset);
    return written != Model.ILLEGAL && !model.mayGrowInto(written, ops[read]);
  }

  /**
   * True when a reset harmful to the read may still take effect in the configuration: an open one
   * not linearized yet, or an unused indeterminate one.
   */
  private boolean harmfulResetPending(Config c, int[] open, int read) {
    for (int s = 0; s < open.length; s++) {
      int op = open[s];
      if (op >= 0 && resetting[op] && !c.has(s) && harmful(op, read)) return true;
    }
    for (int k : resettingKinds) {
      if (c.unused[k] > 0 && !harmless(kindExample[k], read)) return true;
    }
    return false;
  }

  /**
   * Where the search found that a configuration has no future: the read it can no longer satisfy
   * (or the returning operation of a choice point with no choice), the event and the configuration.
   */
  private record DeadEnd(int failing, int event, Config config) {}

  /** Receives the configurations that saturate finds dead; each search keeps its furthest. */
  private interface DeadEnds {
    void dead(DeadEnd end);
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
    final DeadEnds deadEnds;
    /** False when the returning operation may reset the state: what comes before it is not judged by reads ahead. */
    final boolean returningGrows;
    /** True when the returning operation overwrites the state: what comes before it is unseen unless an open read sees it. */
    final boolean returningOverwrites;
    /** False in the relaxed search: using an indeterminate operation leaves it unused. */
    final boolean spends;

    ChoicePoint(int event, Config base, Memo candidates, Memo closures, DeadEnds deadEnds, boolean spends) {
      this.deadEnds = deadEnds;
      this.spends = spends;
      this.candidates = candidates;
      this.closures = closures;
      this.event = event;
      this.base = base;
      this.returning = eventOp[event];
      this.returningGrows = readOnly[returning] || model.onlyGrows(ops[returning]);
      this.returningOverwrites = model.overwrites(ops[returning]);
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
        Config after = saturate(new Config(s, from.bits, from.unused, Trail.extend(from.trail, x, s)), this, false);
        if (after != null) ready.add(after);
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
          offer(saturate(new Config(st, d.bitsWith(s), d.unused, Trail.extend(d.trail, ops[op], st)), this, true));
        }
      }
      for (int k = 0; k < d.unused.length; k++) {
        if (d.unused[k] == 0 || hasOpenTwin(d, k)) continue;
        stepInto(d.state, kindExample[k], openStates);
        while (!openStates.isEmpty()) {
          Object st = openStates.remove(openStates.size() - 1);
          // Using one that changes nothing can only be dominated by not using it.
          if (java.util.Objects.equals(st, d.state)) continue;
          int[] left = spends ? d.unusedWith(k, -1) : d.unused;
          Config used = saturate(new Config(st, d.bits, left, Trail.extend(d.trail, kindExample[k], st)), this, true);
          // Growing into a state no read sees, with no read linearized on the way, only spends the
          // indeterminate operation: d, with the same window and one more unused, can do all that
          // this one can.
          if (used != null && used.state == UNSEEN && model.onlyGrows(kindExample[k])
              && Arrays.equals(used.bits, d.bits)) {
            continue;
          }
          offer(used);
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
      // A dead configuration stays dead as it grows, so it is not expanded either.
      if (e == null || !closures.add(event, e)) return;
      frontier.add(e);
      linearizeReturning(e);
    }
  }

  /**
   * The configuration with every open read that is legal in its state linearized. Linearizing a
   * legal read early never loses a linearization (it changes no state, and a later position for it
   * can simply be dropped), so the saturated configuration dominates the others, and reads are
   * never branched on.
   *
   * <p>Null when an open read that is still illegal can no longer become legal ({@link #growsInto}),
   * or, with {@code judgeAhead}, when the next read to be called can no longer be ({@link #nextRead}):
   * the configuration is dead now, not only at that read's return, and {@code deadEnds} hears of it.
   * Only a configuration that nothing but growth can follow before those reads is judged ahead.
   */
  private Config saturate(Config c, ChoicePoint at, boolean beforeReturning) {
    if (!anyReadOnly) return c;
    int[] open = at.open;
    int event = at.event;
    DeadEnds deadEnds = at.deadEnds;
    // Before the returning operation is linearized, reads ahead judge the state only if that
    // operation cannot reset it.
    boolean judgeAhead = !beforeReturning || at.returningGrows;
    boolean beforeOverwrite = beforeReturning && at.returningOverwrites;
    int ahead = judgeAhead ? nextRead[event] : -1;
    if (ahead >= 0 && !mayGrowInto(c.state, ahead) && !harmfulResetPending(c, open, ahead)) {
      deadEnds.dead(new DeadEnd(ahead, event, c));
      return null;
    }
    long[] bits = null;
    Trail trail = c.trail;
    for (int s = 0; s < open.length; s++) {
      int op = open[s];
      if (op < 0 || !readOnly[op] || c.has(s)) continue;
      if (step(c.state, ops[op]) == Model.ILLEGAL) {
        if (growsInto[op] && !mayGrowInto(c.state, op)) {
          deadEnds.dead(new DeadEnd(op, event, c));
          return null;
        }
        continue;
      }
      if (bits == null) bits = c.bits.clone();
      bits[s >>> 6] |= 1L << s;
      trail = Trail.extend(trail, ops[op], c.state);
    }
    Config out = bits == null ? c : new Config(c.state, bits, c.unused, trail);
    // A returning read still to be linearized sees the state too.
    boolean seenByReturning = beforeReturning && readOnly[at.returning] && mayGrowInto(out.state, at.returning);
    if ((judgeAhead || beforeOverwrite) && !seenByReturning && unseen(out, open, event, beforeOverwrite)) {
      return new Config(UNSEEN, out.bits, out.unused, out.trail);
    }
    return out;
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

  /**
   * A state that no operation will observe: it can only grow until a write replaces it, so every
   * state it stands for has the same future. Configurations that differ only in such states (the
   * orders of appends that a later write erases) are one.
   */
  private static final Object UNSEEN = new Object() {
    @Override
    public String toString() {
      return "(a state no read sees: a write replaces it)";
    }
  };

  /** The model's step, knowing {@link #UNSEEN}. */
  private Object step(Object state, Operation op) {
    if (state != UNSEEN) return model.step(state, op);
    if (model.overwrites(op)) return model.step(model.init(partition), op);
    return model.onlyGrows(op) ? UNSEEN : Model.ILLEGAL;
  }

  private boolean mayGrowInto(Object state, int read) {
    return state != UNSEEN && model.mayGrowInto(state, ops[read]);
  }

  private String describe(Object state) {
    return state == UNSEEN ? UNSEEN.toString() : model.describe(state);
  }

  private void stepInto(Object state, Operation op, List<Object> out) {
    if (model.isDeterministic()) {
      Object s = step(state, op);
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
    Breadth breadth = new Breadth(true);
    // Only indeterminate operations that change the state make the relaxation differ.
    Breadth relaxed = kindExample.length > 0 ? new Breadth(false) : null;
    long turn = 1 << 8;
    while (true) {
      PartitionVerdict v = depth.advance(turn);
      if (v == null) v = breadth.advance(turn / BREADTH_SHARE);
      if (v == null && relaxed != null) v = relaxed.advance(turn / RELAXED_SHARE);
      if (v != null) return v;
      String why = outOfLimits(Math.max(depth.event, breadth.event),
          breadth.bytes() + (relaxed == null ? 0 : relaxed.bytes()));
      if (why != null) return unknown(why);
      turn = Math.min(turn * 2, 1 << 16);
    }
  }

  /**
   * The relaxed sweep alone, to its end: its refutation, or null when the relaxation has a
   * linearization (which proves nothing), or unknown past the deadline. For tests of the relaxation.
   */
  PartitionVerdict refuteRelaxed() {
    Breadth relaxed = new Breadth(false);
    while (relaxed.event < eventType.length) {
      if (System.nanoTime() > deadlineNanos) return unknown("timed out");
      PartitionVerdict v = relaxed.advance(1 << 16);
      if (v != null) return v;
    }
    return null;
  }

  private Config initial() {
    return new Config(model.init(partition), new long[words], new int[kindExample.length], null);
  }

  /** Returned by passThrough for a configuration that has no future. */
  private static final Config DEAD = new Config(null, new long[0], new int[0], null);

  /**
   * The configuration after a call, or after a return already linearized; null when a choice is
   * needed; {@link #DEAD} when a read called here can never become legal.
   */
  private Config passThrough(Config c, int e, DeadEnds deadEnds) {
    int op = eventOp[e];
    switch (eventType[e]) {
      case CALL:
        if (readOnly[op]) {
          if (step(c.state, ops[op]) != Model.ILLEGAL) {
            return new Config(c.state, c.bitsWith(slotOf[op]), c.unused, Trail.extend(c.trail, ops[op], c.state));
          }
          if (growsInto[op] && !mayGrowInto(c.state, op)) {
            deadEnds.dead(new DeadEnd(op, e, c));
            return DEAD;
          }
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

  private PartitionVerdict notLinearizable(DeadEnd end) {
    return new PartitionVerdict(partition, Validity.FALSE,
        "operation cannot be linearized: " + ops[end.failing()],
        operations.size(), explored(), counterexample(end));
  }

  /** Depth-first, with memoisation; lazy at each return. */
  private final class Depth implements DeadEnds {
    final ArrayList<ChoicePoint> stack = new ArrayList<>();
    Config c = initial();
    int event;
    boolean backtracking;
    DeadEnd furthest;

    @Override
    public void dead(DeadEnd end) {
      if (furthest == null || end.event() > furthest.event()) furthest = end;
    }

    PartitionVerdict advance(long budget) {
      int events = eventType.length;
      long start = explored();
      for (long steps = 0; steps + explored() - start < budget; steps++) {
        if (pastDeadline(steps)) return null;
        if (backtracking) {
          if (stack.isEmpty()) return notLinearizable(furthest);
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
        Config next = passThrough(c, event, this);
        if (next == DEAD) {
          backtracking = true;
          continue;
        }
        if (next == null) {
          ChoicePoint cp = new ChoicePoint(event, c, memo, closures, this, true);
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
      if (!cp.covered && cp.generated == 0) dead(new DeadEnd(eventOp[cp.event], cp.event, cp.base));
    }
  }

  /**
   * Breadth-first: every configuration alive after each event, dominated ones pruned.
   *
   * <p>Relaxed (not {@code spends}), an indeterminate operation, once called, may take effect any
   * number of times. Every linearization is one of the relaxation's, so when the relaxation has none
   * the history has none, and when it has one that proves nothing: the relaxed sweep only ever
   * refutes. Its configurations at an event all have the same unused counts (calls only add to
   * them), so they differ in state and window alone: where the exact sweep keeps every incomparable
   * way of having spent a few dozen indeterminate compare-and-sets (the hard info case), the relaxed
   * one keeps a handful, and a read no number of them can explain is refuted in linear time.
   */
  private final class Breadth implements DeadEnds {
    final boolean spends;
    List<Config> alive = new ArrayList<>(List.of(initial()));
    int event;
    int index;
    Memo next = Memo.keepingConfigurations();
    Memo closuresHere = new Memo();
    /** The longest-trailed configuration found dead at this event, if any. */
    DeadEnd deadHere;

    /** Configurations made at the events before this one. */
    long madeBefore;

    Breadth(boolean spends) {
      this.spends = spends;
    }

    /** Configurations made so far: a turn's budget counts them with the steps, as one step may make thousands. */
    long made() {
      return madeBefore + next.entries() + closuresHere.entries();
    }

    @Override
    public void dead(DeadEnd end) {
      if (deadHere == null || trailLength(end.config()) > trailLength(deadHere.config())) deadHere = end;
    }

    PartitionVerdict advance(long budget) {
      long start = made();
      for (long steps = 0; steps + made() - start < budget; steps++) {
        if (pastDeadline(steps)) return null;
        if (event >= eventType.length) return spends ? linearizable() : null;
        if (index < alive.size()) {
          Config c = alive.get(index++);
          Config passed = passThrough(c, event, this);
          if (passed == DEAD) continue;
          if (passed != null) {
            next.add(event, passed);
          } else {
            ChoicePoint cp = new ChoicePoint(event, c, next, closuresHere, this, spends);
            while (cp.next() != null) {
              // Each choice is recorded in next by the choice point itself.
            }
          }
          continue;
        }
        List<Config> survivors = next.kept();
        if (survivors.isEmpty()) {
          if (deadHere != null) return refuted(deadHere);
          Config furthest = alive.get(0);
          for (Config c : alive) {
            if (trailLength(c) > trailLength(furthest)) furthest = c;
          }
          return refuted(new DeadEnd(eventOp[event], event, furthest));
        }
        alive = survivors;
        index = 0;
        event++;
        madeBefore += next.entries() + closuresHere.entries();
        next = Memo.keepingConfigurations();
        closuresHere = new Memo();
        deadHere = null;
      }
      return null;
    }

    long bytes() {
      return next.bytes() + closuresHere.bytes() + alive.size() * 96L;
    }

    private PartitionVerdict refuted(DeadEnd end) {
      return spends ? notLinearizable(end) : notLinearizableRelaxed(end);
    }
  }

  /**
   * A refutation by the relaxed sweep. Its dead configuration's trail is a real linearization of the
   * prefix when it takes every indeterminate kind at most once (one operation of that kind, called
   * before, stands for it); otherwise the trail is cut before the first kind taken twice, and the
   * counterexample says that it is a shorter prefix.
   */
  private PartitionVerdict notLinearizableRelaxed(DeadEnd end) {
    List<Trail> steps = new ArrayList<>();
    for (Trail t = end.config().trail; t != null; t = t.previous()) steps.add(t);
    java.util.Collections.reverse(steps);
    java.util.Set<Operation> taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Trail real = null;
    boolean cut = false;
    for (Trail t : steps) {
      if (t.op().isIndeterminate() && !taken.add(t.op())) {
        cut = true;
        break;
      }
      real = t;
    }
    String reason = "operation cannot be linearized, even if every indeterminate operation could take effect"
        + " any number of times: " + ops[end.failing()];
    if (!cut) {
      return new PartitionVerdict(partition, Validity.FALSE, reason, operations.size(), explored(), counterexample(end));
    }
    List<Counterexample.Step> prefix = new ArrayList<>();
    for (Trail t = real; t != null; t = t.previous()) prefix.add(new Counterexample.Step(t.op(), describe(t.stateAfter())));
    java.util.Collections.reverse(prefix);
    Operation failing = ops[end.failing()];
    List<Counterexample.Attempt> attempts = List.of(new Counterexample.Attempt(failing,
        "no order of the operations before it lets it take effect, even if indeterminate operations could take"
            + " effect more than once (the prefix shown is a shorter one, where each takes effect once)"));
    return new PartitionVerdict(partition, Validity.FALSE, reason, operations.size(), explored(),
        new Counterexample(model.name(), partition, model.describe(model.init(partition)), operations, prefix,
            failing, failing.returnPosition(), attempts));
  }

  private static int trailLength(Config c) {
    return c.trail == null ? 0 : c.trail.length();
  }

  /**
   * True, every 1,024 steps, once the deadline has passed: a turn's steps can be costly (a choice
   * point's whole enumeration is one), so the turn stops there and run() answers unknown. A verdict
   * reached before the deadline is the same on every machine.
   */
  private boolean pastDeadline(long steps) {
    return (steps & 1023) == 1023 && System.nanoTime() > deadlineNanos;
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

  private Counterexample counterexample(DeadEnd end) {
    int furthestEvent = end.event();
    Config at = end.config();
    List<Counterexample.Step> steps = new ArrayList<>();
    for (Trail t = at.trail; t != null; t = t.previous()) {
      steps.add(new Counterexample.Step(t.op(), describe(t.stateAfter())));
    }
    java.util.Collections.reverse(steps);
    int failing = end.failing();
    List<Counterexample.Attempt> attempts = new ArrayList<>();
    String state = describe(at.state);
    attempts.add(new Counterexample.Attempt(ops[failing], failing == eventOp[furthestEvent] && eventType[furthestEvent] == RETURN
        ? "no order of the open operations lets it take effect after state " + state
        : "it can no longer take effect: the state is already " + state + ", and what may still come before its"
            + " return only adds to it"));
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
