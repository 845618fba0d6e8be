package io.faultline.checkers.invariants;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a grow-only set through every read, not only the last, as Jepsen's {@code set-full}.
 * Operations are {@code add} (value: the element) and {@code read} ({@code ok} value: a collection
 * of every element present).
 *
 * <p>An element is <em>known</em> from the completion of its first {@code ok} add or of the first
 * read that saw it, whichever is earlier. Reads are placed by their invocations; only reads that
 * complete after the element's first add was invoked say anything about it. Each element added by
 * an add that did not fail is then:
 * <ul>
 *   <li><b>stable</b>: the last read (by invocation) that speaks of it saw it;
 *   <li><b>lost</b>: the last read that speaks of it missed it, although that read began after the
 *       element was known;
 *   <li><b>never read</b>: neither: no read speaks of it, or the last one missed it but began before
 *       the element was known (it may have been ordered before the add), or the element was never
 *       known (an {@code info} or pending add that no read saw).
 * </ul>
 * A stable element is also <b>stale</b> when a read invoked after it was known missed it before it
 * appeared for good: a linearizable set never does that. An element is <b>unexpected</b> when a read
 * returned it although no add of it that did not fail had been invoked by then, and
 * <b>duplicated</b> when one read returned it more than once.
 *
 * <p>The verdict is false for any lost, unexpected or duplicated element, and for a stale one when
 * the set is meant to be linearizable. Otherwise it is unknown when no element is stable (nothing
 * was both added and read), else true.
 *
 * <p>Details: counts and sorted lists (at most 32 each) of {@code lost}, {@code never-read},
 * {@code stale}, {@code unexpected} and {@code duplicated} elements; {@code lost-evidence} for a
 * few lost elements; {@code worst-stale}, the stale elements that took longest to appear, with
 * {@code worst-stale-latency-nanos} when the history has times. Evidence names history indices.
 */
public final class SetFullChecker implements Checker {
  static final String NAME = "set-full";

  /** How many elements get detailed evidence: a few examples explain a failure; more is noise. */
  static final int EVIDENCE = 8;

  private final boolean linearizable;

  /** Stale reads are reported but allowed, as in Jepsen's default. */
  public SetFullChecker() {
    this(false);
  }

  private SetFullChecker(boolean linearizable) {
    this.linearizable = linearizable;
  }

  /** A checker for a set that claims linearizability: a stale element makes the history invalid. */
  public static SetFullChecker linearizable() {
    return new SetFullChecker(true);
  }

  /** What the history says about one element; positions index the history's record list. */
  static final class Element {
    final Object value;
    /** Invocation of its first add that did not fail. */
    long added = Long.MAX_VALUE;
    /** Completion of its first ok add or of the first read that saw it; MAX_VALUE if never. */
    long known = Long.MAX_VALUE;
    /** Invocation of the latest read that saw it, or -1. */
    long lastPresent = -1;
    /** Invocation of the latest read that missed it, or -1. */
    long lastAbsent = -1;
    /** The number of the read being visited when that read returned it; spares a set per read. */
    long seenIn = -1;

    Element(Object value) {
      this.value = value;
    }

    boolean isStable() {
      return lastPresent >= 0 && lastAbsent < lastPresent;
    }

    boolean isLost() {
      return known != Long.MAX_VALUE && lastAbsent > lastPresent && lastAbsent > known;
    }

    boolean isStale() {
      return isStable() && lastAbsent > known;
    }
  }

  @Override
  public Result check(CheckContext context, History history) {
    long deadline = context.deadlineNanos(System.nanoTime());
    Malformed malformed = new Malformed();
    Set<Object> attempted = new HashSet<>();
    Set<Object> acknowledged = new HashSet<>();
    Map<Object, Element> elements = new HashMap<>();
    List<Operation> reads = new ArrayList<>();
    for (Operation op : history.operations()) {
      if (Data.is(op.invoke(), "add")) {
        Object v = Data.canonical(op.input());
        attempted.add(v);
        if (op.outcome() == Operation.Outcome.FAIL) continue; // certainly not added
        Element e = elements.computeIfAbsent(v, Element::new);
        e.added = Math.min(e.added, op.callPosition());
        if (op.outcome() == Operation.Outcome.OK) {
          acknowledged.add(v);
          e.known = Math.min(e.known, op.returnPosition());
        }
      } else if (Data.is(op.invoke(), "read") && op.outcome() == Operation.Outcome.OK) {
        if (op.output() instanceof Collection<?>) {
          reads.add(op);
        } else {
          malformed.add(op.completion().index(),
              "read of " + Values.show(op.output()) + ", not a collection of elements");
        }
      }
    }

    // A read speaks only of elements whose add was invoked before it completed, so visiting reads in
    // completion order and elements in order of first add makes the elements a read speaks of a
    // growing prefix.
    List<Element> byAdded = new ArrayList<>(elements.values());
    byAdded.sort(Comparator.comparingLong(e -> e.added));
    reads.sort(Comparator.comparingLong(Operation::returnPosition));
    Set<Object> unexpected = new HashSet<>();
    Map<Object, Long> duplicated = new HashMap<>(); // element -> most copies in one read
    int active = 0;
    long checked = 0;
    for (Operation read : reads) {
      if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
        return timedOut(checked, reads.size());
      }
      long readNumber = checked++;
      long call = read.callPosition();
      long ret = read.returnPosition();
      Set<Object> strangers = null; // values of this read that no add attempted
      Map<Object, Long> copies = null;
      for (Object item : (Collection<?>) read.output()) {
        Object v = Data.canonical(item);
        Element e = elements.get(v);
        boolean first;
        if (e == null) {
          if (strangers == null) strangers = new HashSet<>();
          first = strangers.add(v);
        } else {
          first = e.seenIn != readNumber;
          e.seenIn = readNumber;
        }
        if (!first) {
          if (copies == null) copies = new HashMap<>();
          copies.merge(v, 2L, (a, b) -> a + 1);
        } else if (e == null || e.added > ret) {
          unexpected.add(v);
        }
      }
      if (copies != null) copies.forEach((v, n) -> duplicated.merge(v, n, Math::max));
      while (active < byAdded.size() && byAdded.get(active).added < ret) active++;
      for (int i = 0; i < active; i++) {
        Element e = byAdded.get(i);
        if (e.seenIn == readNumber) {
          e.known = Math.min(e.known, ret);
          e.lastPresent = Math.max(e.lastPresent, call);
        } else {
          e.lastAbsent = Math.max(e.lastAbsent, call);
        }
      }
    }

    List<Element> lost = new ArrayList<>();
    List<Element> stale = new ArrayList<>();
    List<Object> neverRead = new ArrayList<>();
    long stable = 0;
    for (Element e : elements.values()) {
      if (e.isStable()) {
        stable++;
        if (e.isStale()) stale.add(e);
      } else if (e.isLost()) {
        lost.add(e);
      } else {
        neverRead.add(e.value);
      }
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("attempt-count", (long) attempted.size());
    details.put("acknowledged-count", (long) acknowledged.size());
    details.put("read-count", (long) reads.size());
    details.put("stable-count", stable);
    details.put("lost-count", (long) lost.size());
    details.put("lost", Data.sortedCapped(values(lost)));
    details.put("lost-evidence", lostEvidence(history, lost));
    details.put("never-read-count", (long) neverRead.size());
    details.put("never-read", Data.sortedCapped(neverRead));
    details.put("stale-count", (long) stale.size());
    details.put("stale", Data.sortedCapped(values(stale)));
    List<Map<String, Object>> worstStale = worstStale(history, stale);
    details.put("worst-stale", worstStale);
    if (!worstStale.isEmpty() && worstStale.get(0).get("latency-nanos") != null) {
      details.put("worst-stale-latency-nanos", worstStale.get(0).get("latency-nanos"));
    }
    details.put("unexpected-count", (long) unexpected.size());
    details.put("unexpected", Data.sortedCapped(unexpected));
    details.put("duplicated-count", (long) duplicated.size());
    details.put("duplicated", duplicatedData(duplicated));
    malformed.report(details);

    Map<String, Number> anomalies = new LinkedHashMap<>();
    anomalies.put("lost", lost.size());
    anomalies.put("unexpected", unexpected.size());
    anomalies.put("duplicated", duplicated.size());
    anomalies.put("stale", stale.size());
    boolean invalid = !lost.isEmpty() || !unexpected.isEmpty() || !duplicated.isEmpty()
        || (linearizable && !stale.isEmpty());
    Validity validity;
    String summary;
    if (invalid) {
      validity = Validity.FALSE;
      summary = Data.counts(anomalies);
    } else if (!malformed.isEmpty()) {
      validity = Validity.UNKNOWN;
      summary = malformed.count() + " malformed; " + stable + " stable";
    } else if (stable == 0) {
      validity = Validity.UNKNOWN;
      summary = "no element both added and read"
          + (neverRead.isEmpty() ? "" : "; " + neverRead.size() + " never read");
    } else {
      validity = Validity.TRUE;
      summary = stable + " stable" + (stale.isEmpty() ? "" : ", " + stale.size() + " stale")
          + (neverRead.isEmpty() ? "" : ", " + neverRead.size() + " never read");
    }
    return Result.of(NAME, validity, summary, details);
  }

  private static Result timedOut(long checked, long reads) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("read-count", reads);
    details.put("reads-checked", checked);
    return Result.of(NAME, Validity.UNKNOWN,
        "timed out after " + checked + " of " + reads + " reads", details);
  }

  private static List<Object> values(List<Element> elements) {
    List<Object> out = new ArrayList<>(elements.size());
    for (Element e : elements) out.add(e.value);
    return out;
  }

  private static List<Map<String, Object>> lostEvidence(History history, List<Element> lost) {
    List<Element> sorted = new ArrayList<>(lost);
    sorted.sort(Comparator.comparing(e -> e.value, Data.ORDER));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Element e : sorted.subList(0, Math.min(EVIDENCE, sorted.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("element", Data.plain(e.value));
      m.put("known-index", Data.index(history, e.known));
      m.put("last-present-index", e.lastPresent < 0 ? null : Data.index(history, e.lastPresent));
      m.put("absent-index", Data.index(history, e.lastAbsent));
      out.add(m);
    }
    return out;
  }

  /**
   * The stale elements that took longest to appear: latency is from the moment the element was
   * known to the invocation of the last read that missed it, as in Jepsen's stable latency. Without
   * times, the distance in records orders them.
   */
  private static List<Map<String, Object>> worstStale(History history, List<Element> stale) {
    List<Element> sorted = new ArrayList<>(stale);
    sorted.sort(Comparator.<Element>comparingLong(e -> latency(history, e))
        .thenComparingLong(e -> e.lastAbsent - e.known)
        .reversed()
        .thenComparing(e -> e.value, Data.ORDER));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Element e : sorted.subList(0, Math.min(EVIDENCE, sorted.size()))) {
      long latency = latency(history, e);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("element", Data.plain(e.value));
      m.put("known-index", Data.index(history, e.known));
      m.put("last-absent-index", Data.index(history, e.lastAbsent));
      m.put("latency-nanos", latency < 0 ? null : latency);
      out.add(m);
    }
    return out;
  }

  /** Nanoseconds from known to the last read that missed it, or -1 when the history has no times. */
  private static long latency(History history, Element e) {
    long knownAt = Data.time(history, e.known);
    long absentAt = Data.time(history, e.lastAbsent);
    return knownAt < 0 || absentAt < 0 ? -1 : Math.max(0, absentAt - knownAt);
  }

  private static List<Map<String, Object>> duplicatedData(Map<Object, Long> duplicated) {
    List<Object> sorted = new ArrayList<>(duplicated.keySet());
    sorted.sort(Data.ORDER);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object v : sorted.subList(0, Math.min(Data.CAP, sorted.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("element", Data.plain(v));
      m.put("count", duplicated.get(v));
      out.add(m);
    }
    return out;
  }
}
