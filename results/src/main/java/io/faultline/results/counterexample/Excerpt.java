package io.faultline.results.counterexample;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Counterexample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which operations of a partition are drawn. A partition may hold 100,000 operations, but the
 * failure is explained by a few dozen: the failing operation, the operations open when it returned,
 * the tail of the partial linearization and the operations that could not follow it. Those are
 * always drawn; the rest of the budget goes to their neighbours, nearest the failure first, and
 * what is left out is counted so that the page can say so.
 */
final class Excerpt {
  /** At most this many operations are drawn per counterexample, whatever the history's size. */
  static final int MAX_OPS = 160;
  /** The last steps of the partial linearization, drawn with their order numbers. */
  static final int TAIL_STEPS = 12;
  static final int MAX_OPEN = 60;
  static final int MAX_ATTEMPTS = 40;
  /** Operations invoked just after the failure, for context only. */
  static final int AFTER = 4;
  /** Indeterminate operations invoked long before the excerpt stay open forever; draw only the latest. */
  static final int EARLY_OPEN = 8;

  // Tiers, most important first: what gets drawn when the budget runs out.
  private static final int FAILING = 0;
  private static final int TAIL = 1;
  private static final int OPEN_AT_FAILURE = 2;
  private static final int ATTEMPT = 3;
  private static final int REGION = 4;
  private static final int LATER = 5;
  private static final int EARLIER_OPEN = 6;
  private static final int[] CAPS = {1, TAIL_STEPS, MAX_OPEN, MAX_ATTEMPTS, MAX_OPS, AFTER, EARLY_OPEN};

  final long failurePosition;
  /** Where the excerpt proper begins: the earliest call among the determinate operations that explain the failure. */
  final long start;
  final Operation failing;
  /** The drawn operations, by call position. */
  final List<Operation> drawn;
  /** Operation id to its 0-based index in the partial linearization, for every step. */
  final Map<Integer, Integer> stepOf;
  /** Operation id to why it could not follow the partial linearization. */
  final Map<Integer, String> reasonOf;
  /** The lanes: processes of the drawn operations, sorted. */
  final List<Object> processes;
  /** Every call and determinate return position of the partition, sorted: to count what is hidden where. */
  final long[] events;
  /** How many operations the partition has. */
  final int total;
  /** Drawn indeterminate operations invoked before {@link #start}, still open. */
  final int earlyOpen;
  final int hiddenBefore;
  final int hiddenWithin;
  final int hiddenAfter;
  final int hiddenIndeterminate;

  private Excerpt(long failurePosition, long start, Operation failing, List<Operation> drawn,
      Map<Integer, Integer> stepOf, Map<Integer, String> reasonOf, List<Object> processes, long[] events, int total,
      int earlyOpen, int hiddenBefore, int hiddenWithin, int hiddenAfter, int hiddenIndeterminate) {
    this.failurePosition = failurePosition;
    this.start = start;
    this.failing = failing;
    this.drawn = drawn;
    this.stepOf = stepOf;
    this.reasonOf = reasonOf;
    this.processes = processes;
    this.events = events;
    this.total = total;
    this.earlyOpen = earlyOpen;
    this.hiddenBefore = hiddenBefore;
    this.hiddenWithin = hiddenWithin;
    this.hiddenAfter = hiddenAfter;
    this.hiddenIndeterminate = hiddenIndeterminate;
  }

  boolean isFailing(Operation op) {
    return failing != null && op.id() == failing.id();
  }

  static Excerpt of(Counterexample cx) {
    List<Counterexample.Step> steps = orEmpty(cx.linearization());
    List<Counterexample.Attempt> attempts = orEmpty(cx.attempts());
    Operation failing = cx.failing();
    long p = cx.failurePosition();

    // Every operation once, by id; the failing op, steps and attempts are normally among
    // cx.operations(), but a hand-made counterexample need not be, and they must still be drawn.
    Map<Integer, Operation> byId = new LinkedHashMap<>();
    for (Operation op : orEmpty(cx.operations())) byId.putIfAbsent(op.id(), op);
    if (failing != null) byId.putIfAbsent(failing.id(), failing);
    Map<Integer, Integer> stepOf = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      Operation op = steps.get(i).op();
      stepOf.put(op.id(), i);
      byId.putIfAbsent(op.id(), op);
    }
    Map<Integer, String> reasonOf = new HashMap<>();
    for (Counterexample.Attempt a : attempts) {
      reasonOf.merge(a.op().id(), String.valueOf(a.reason()), (x, y) -> x + "; " + y);
      byId.putIfAbsent(a.op().id(), a.op());
    }
    List<Operation> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(Operation::callPosition)); // already in order: linear time

    int tailFrom = Math.max(0, steps.size() - TAIL_STEPS);
    int[] tier = new int[all.size()];
    // the excerpt starts at the earliest call among the determinate operations that explain the
    // failure. Indeterminate ones are left out of that: one invoked at the start of a long history
    // stays open to its end and would otherwise stretch the excerpt over everything.
    long start = failing != null ? failing.callPosition() : p;
    for (int i = 0; i < all.size(); i++) {
      Operation op = all.get(i);
      Integer step = stepOf.get(op.id());
      boolean openAtFailure = op.callPosition() < p && op.returnPosition() > p;
      int t = -1;
      if (failing != null && op.id() == failing.id()) t = FAILING;
      else if (step != null && step >= tailFrom) t = TAIL;
      else if (openAtFailure && !op.isIndeterminate()) t = OPEN_AT_FAILURE;
      if (t >= 0 && op.returnPosition() != Long.MAX_VALUE) start = Math.min(start, op.callPosition());
      tier[i] = t;
    }
    for (int i = 0; i < all.size(); i++) {
      Operation op = all.get(i);
      // An attempt invoked before the excerpt is an indeterminate operation open since long ago
      // (determinate ones open at the failure moved the start). A long history has one per retired
      // process, so those are drawn under the small early-open cap; the attempts table lists them all.
      if (tier[i] < 0 && reasonOf.containsKey(op.id()) && op.callPosition() >= start) tier[i] = ATTEMPT;
    }
    List<int[]> candidates = new ArrayList<>(); // {index into all, tier}
    for (int i = 0; i < all.size(); i++) {
      Operation op = all.get(i);
      if (tier[i] < 0) {
        boolean determinate = op.returnPosition() != Long.MAX_VALUE;
        if (op.callPosition() > p) tier[i] = LATER;
        else if (op.callPosition() >= start || (determinate && op.returnPosition() >= start)) tier[i] = REGION;
        else if (!determinate) tier[i] = EARLIER_OPEN;
        else continue; // long before the excerpt: only counted
      }
      candidates.add(new int[] {i, tier[i]});
    }
    candidates.sort(Comparator.<int[]>comparingInt(c -> c[1])
        .thenComparingLong(c -> rank(all.get(c[0]), c[1], stepOf, reasonOf)));
    int[] taken = new int[CAPS.length];
    boolean[] drawnFlag = new boolean[all.size()];
    int count = 0;
    for (int[] c : candidates) {
      if (count >= MAX_OPS) break;
      if (taken[c[1]] >= CAPS[c[1]]) continue;
      taken[c[1]]++;
      drawnFlag[c[0]] = true;
      count++;
    }

    List<Operation> drawn = new ArrayList<>(count);
    for (int i = 0; i < all.size(); i++) if (drawnFlag[i]) drawn.add(all.get(i));
    int early = 0;
    for (Operation op : drawn) if (op.callPosition() < start && op.isIndeterminate()) early++;
    int before = 0;
    int within = 0;
    int after = 0;
    int indeterminate = 0;
    for (int i = 0; i < all.size(); i++) {
      if (drawnFlag[i]) continue;
      Operation op = all.get(i);
      if (op.callPosition() > p) after++;
      else if (op.callPosition() < start) before++;
      else within++; // left out only because the budget ran out
      if (op.isIndeterminate()) indeterminate++;
    }
    TreeSet<Object> lanes = new TreeSet<>(Labels.PROCESS_ORDER);
    for (Operation op : drawn) lanes.add(op.process());
    long[] events = new long[all.size() * 2];
    int n = 0;
    for (Operation op : all) {
      events[n++] = op.callPosition();
      if (op.returnPosition() != Long.MAX_VALUE) events[n++] = op.returnPosition();
    }
    events = Arrays.copyOf(events, n);
    Arrays.sort(events);
    return new Excerpt(p, start, failing, List.copyOf(drawn), stepOf, reasonOf, List.copyOf(lanes), events,
        all.size(), early, before, within, after, indeterminate);
  }

  /** Order within a tier: nearest the failure first, determinate attempts before indeterminate ones. */
  private static long rank(Operation op, int tier, Map<Integer, Integer> stepOf, Map<Integer, String> reasonOf) {
    return switch (tier) {
      case TAIL -> stepOf.get(op.id());
      case LATER -> op.callPosition();
      case ATTEMPT -> (op.isIndeterminate() ? Long.MAX_VALUE / 2 : 0) - op.callPosition();
      // Among the long-open ones, those that could not follow come first.
      case EARLIER_OPEN -> (reasonOf.containsKey(op.id()) ? 0 : Long.MAX_VALUE / 2)
          - op.callPosition();
      default -> -op.callPosition();
    };
  }

  /** How many partition events lie strictly between two positions: operations hidden there. */
  int eventsBetween(long from, long to) {
    int lo = upperBound(events, from);
    int hi = lowerBound(events, to);
    return Math.max(0, hi - lo);
  }

  static int lowerBound(long[] a, long key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  static int upperBound(long[] a, long key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
