package io.faultline.checkers.base;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks Terry et al.'s four session guarantees per client session, per key. A session is a process:
 * a process retired after an info completion ends its session, and its successor starts a new one.
 *
 * <p>Registers are ordered by what the history proves: values are unique per key, and {@code a} is
 * <em>older</em> than {@code b} when the write of {@code a} completed ok before the write of
 * {@code b} was invoked; nil is older than every written value. Concurrent writes are unordered, so
 * reading either after the other is allowed. Sets are judged by containment; an element counts as
 * possibly removed for a read once a remove of it that did not fail was invoked before the read
 * completed. Only ok operations say what a session saw.
 * <ul>
 *   <li><b>read-your-writes</b>: a read never returns a value older than one of the session's own
 *       earlier writes (register), and contains every element the session added earlier (set).
 *   <li><b>monotonic-reads</b>: a read never returns a value older than an earlier read of the same
 *       session (register), and contains every element an earlier read had (set).
 *   <li><b>monotonic-writes</b>: once any session has seen a write {@code b}, it never sees a state
 *       without an earlier write {@code a} of the session that wrote {@code b}: for a register, a
 *       later read of the observing session returns neither {@code a} nor anything older; for a
 *       set, a read containing {@code b} contains {@code a}.
 *   <li><b>writes-follow-reads</b>: when a session read {@code v} and then wrote {@code u}, a session
 *       that has seen {@code u} never sees a state without {@code v}: for a register, a later read
 *       returns neither {@code v} nor anything older; for a set, a read containing {@code u}
 *       contains everything the writer had read of that key before adding {@code u}.
 * </ul>
 * Counters are not judged: a count does not say which increments it holds.
 *
 * <p>The verdict is false when a required guarantee is violated, unknown when there are no ok reads,
 * else true. Details: {@code guarantees}, each of the four by name to {@code held} or
 * {@code violated}; {@code required}, the names asked for; {@code violations}, for each violated
 * guarantee by name, its {@code count} and {@code first}: the violation whose later operation
 * completed first, with {@code explanation} (one sentence) and {@code ops}, the two operations
 * (index, completion-index, process, f, key, value, type, node, invoke-time, complete-time).
 */
public final class SessionGuaranteesChecker implements Checker {
  static final String NAME = "session-guarantees";

  /** The four session guarantees. */
  public enum Guarantee {
    READ_YOUR_WRITES("read-your-writes"),
    MONOTONIC_READS("monotonic-reads"),
    MONOTONIC_WRITES("monotonic-writes"),
    WRITES_FOLLOW_READS("writes-follow-reads");

    private final String wireName;

    Guarantee(String wireName) {
      this.wireName = wireName;
    }

    /** The name in results.json. */
    public String wireName() {
      return wireName;
    }
  }

  private final DataType type;
  private final Set<Guarantee> required;

  /** Requires all four guarantees. */
  public SessionGuaranteesChecker(DataType type) {
    this(type, EnumSet.allOf(Guarantee.class));
  }

  /**
   * Requires the given guarantees; the others are still reported.
   *
   * @throws IllegalArgumentException for {@link DataType#COUNTER}, which this checker cannot judge
   */
  public SessionGuaranteesChecker(DataType type, Set<Guarantee> required) {
    if (type == DataType.COUNTER) throw new IllegalArgumentException("session guarantees are judged for registers and sets, not counters");
    this.type = Objects.requireNonNull(type);
    this.required = required.isEmpty() ? EnumSet.noneOf(Guarantee.class) : EnumSet.copyOf(required);
  }

  /** A violation: two operations and why together they break the guarantee. */
  private record Violation(Operation earlier, Operation later, String explanation) {}

  /** Per guarantee, how many violations and the one whose later operation completed first. */
  private static final class Tally {
    final Map<Guarantee, Long> counts = new EnumMap<>(Guarantee.class);
    final Map<Guarantee, Violation> first = new EnumMap<>(Guarantee.class);

    void add(Guarantee g, Operation earlier, Operation later, String explanation) {
      counts.merge(g, 1L, Long::sum);
      Violation v = first.get(g);
      if (v == null || later.returnPosition() < v.later().returnPosition()
          || (later.returnPosition() == v.later().returnPosition() && earlier.callPosition() < v.earlier().callPosition())) {
        first.put(g, new Violation(earlier, later, explanation));
      }
    }
  }

  @Override
  public Result check(CheckContext context, History history) {
    Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
    long reads = 0;
    for (Operation op : history.operations()) {
      if (op.outcome() == Operation.Outcome.FAIL) continue;
      byKey.computeIfAbsent(Values.canonical(op.key()), k -> new ArrayList<>()).add(op);
      if (FinalPhase.is(op, "read") && FinalPhase.isOk(op)) reads++;
    }
    Tally tally = new Tally();
    for (List<Operation> ops : byKey.values()) {
      if (type == DataType.REGISTER) new Registers(ops, tally).judge();
      else new Sets(ops, tally).judge();
    }

    Map<String, Object> held = new LinkedHashMap<>();
    Map<String, Object> violations = new LinkedHashMap<>();
    List<String> broken = new ArrayList<>();
    boolean invalid = false;
    for (Guarantee g : Guarantee.values()) {
      Violation v = tally.first.get(g);
      held.put(g.wireName(), v == null ? "held" : "violated");
      if (v == null) continue;
      broken.add(g.wireName());
      invalid |= required.contains(g);
      Map<String, Object> first = new LinkedHashMap<>();
      first.put("explanation", v.explanation());
      first.put("ops", List.of(BaseData.op(v.earlier()), BaseData.op(v.later())));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", tally.counts.get(g));
      m.put("first", first);
      violations.put(g.wireName(), m);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("guarantees", held);
    details.put("required", required.stream().map(Guarantee::wireName).toList());
    details.put("violations", violations);
    details.put("read-count", reads);

    Validity validity;
    String summary;
    if (invalid) {
      validity = Validity.FALSE;
      summary = "violated: " + String.join(", ", broken);
    } else if (reads == 0) {
      validity = Validity.UNKNOWN;
      summary = "no ok reads: no session saw anything";
    } else {
      validity = Validity.TRUE;
      summary = broken.isEmpty() ? "all four held" : "required ones held; violated: " + String.join(", ", broken);
    }
    return Result.of(NAME, validity, summary, details);
  }

  private static String at(Operation op) {
    return "(index " + op.invoke().index() + ")";
  }

  private static String show(Object v) {
    return Values.show(v);
  }

  /** One key of a register: the version order the history proves, and the four checks over it. */
  private static final class Registers {
    final List<Operation> ops;
    final Tally tally;
    final Map<Object, Operation> writeOf = new HashMap<>();

    Registers(List<Operation> ops, Tally tally) {
      this.ops = ops;
      this.tally = tally;
      for (Operation op : ops) if (FinalPhase.is(op, "write")) writeOf.putIfAbsent(Values.canonical(op.input()), op);
    }

    /** {@code a} is proven older than {@code b}. */
    boolean older(Object a, Object b) {
      Operation wb = writeOf.get(b);
      if (b == null || wb == null || Objects.equals(a, b)) return false;
      if (a == null) return true;
      Operation wa = writeOf.get(a);
      return wa != null && FinalPhase.isOk(wa) && wa.returnPosition() < wb.callPosition();
    }

    /** The session's state does not include {@code p}: it is {@code p} itself or older (never {@code seen}). */
    boolean without(Object x, Object p, Object seen) {
      return !Objects.equals(x, seen) && (Objects.equals(x, p) || older(x, p));
    }

    void judge() {
      // For each written value: what a session that has seen it must still see (monotonic writes, writes follow reads).
      Map<Object, List<Object[]>> needs = new HashMap<>();
      Map<Object, List<Operation>> sessions = new LinkedHashMap<>();
      for (Operation op : ops) sessions.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
      for (List<Operation> session : sessions.values()) {
        List<Operation> writes = new ArrayList<>();
        Operation lastRead = null;
        for (Operation op : session) {
          if (FinalPhase.is(op, "write")) {
            Object u = Values.canonical(op.input());
            List<Object[]> n = needs.computeIfAbsent(u, k -> new ArrayList<>());
            for (Operation a : writes) n.add(new Object[] {Guarantee.MONOTONIC_WRITES, a});
            if (lastRead != null && lastRead.output() != null) n.add(new Object[] {Guarantee.WRITES_FOLLOW_READS, lastRead});
            if (FinalPhase.isOk(op)) writes.add(op);
          } else if (FinalPhase.is(op, "read") && FinalPhase.isOk(op)) {
            lastRead = op;
          }
        }
      }
      for (List<Operation> session : sessions.values()) {
        List<Operation> writes = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        for (Operation op : session) {
          if (FinalPhase.is(op, "write") && FinalPhase.isOk(op)) writes.add(op);
          if (!FinalPhase.is(op, "read") || !FinalPhase.isOk(op)) continue;
          Object x = Values.canonical(op.output());
          for (Operation w : writes) {
            Object u = Values.canonical(w.input());
            if (older(x, u)) {
              tally.add(Guarantee.READ_YOUR_WRITES, w, op, "process " + op.process() + " wrote " + show(u) + " " + at(w)
                  + " and then read " + show(x) + " " + at(op) + ", a value older than its own write.");
            }
          }
          for (Operation r : reads) {
            Object v = Values.canonical(r.output());
            if (older(x, v)) {
              tally.add(Guarantee.MONOTONIC_READS, r, op, "process " + op.process() + " read " + show(v) + " " + at(r)
                  + " and later read " + show(x) + " " + at(op) + ", an older value: its reads went back in time.");
            }
            for (Object[] need : needs.getOrDefault(v, List.of())) {
              Operation cause = (Operation) need[1];
              Object p = Values.canonical(need[0] == Guarantee.MONOTONIC_WRITES ? cause.input() : cause.output());
              if (!without(x, p, v)) continue;
              String why = need[0] == Guarantee.MONOTONIC_WRITES
                  ? "which process " + cause.process() + " wrote after its write of " + show(p) + " " + at(cause)
                  : "which process " + writeOf.get(v).process() + " wrote after reading " + show(p) + " " + at(cause);
              tally.add((Guarantee) need[0], r, op, "process " + op.process() + " read " + show(v) + " " + at(r) + ", "
                  + why + ", and then read " + show(x) + " " + at(op) + ", a state without " + show(p) + ".");
            }
          }
          reads.add(op);
        }
      }
    }
  }

  /** One key of a set: the four checks by containment. */
  private static final class Sets {
    final List<Operation> ops;
    final Tally tally;
    /** Per element, the earliest call of a remove that did not fail. */
    final Map<Object, Long> removedFrom = new HashMap<>();

    Sets(List<Operation> ops, Tally tally) {
      this.ops = ops;
      this.tally = tally;
      for (Operation op : ops) {
        if (FinalPhase.is(op, "remove")) removedFrom.merge(Values.canonical(op.input()), op.callPosition(), Math::min);
      }
    }

    /** The read lacks {@code e} although no remove of it may have happened by then. */
    boolean lacks(Set<Object> read, Object e, Operation r) {
      return !read.contains(e) && removedFrom.getOrDefault(e, Long.MAX_VALUE) > r.returnPosition();
    }

    @SuppressWarnings("unchecked")
    static Set<Object> elements(Operation read) {
      Object v = DataType.SET.canonical(read.output());
      return v instanceof Set<?> s ? (Set<Object>) s : Set.of();
    }

    void judge() {
      // Per added element: the session's earlier ok adds (monotonic writes) and the read the add followed.
      Map<Object, Operation> addOf = new HashMap<>();
      Map<Object, List<Operation>> earlierAdds = new HashMap<>();
      Map<Object, Operation> followed = new HashMap<>();
      Map<Object, List<Operation>> sessions = new LinkedHashMap<>();
      for (Operation op : ops) sessions.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
      for (List<Operation> session : sessions.values()) {
        List<Operation> adds = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        Operation lastRead = null;
        for (Operation op : session) {
          if (FinalPhase.is(op, "add")) {
            Object e = Values.canonical(op.input());
            addOf.putIfAbsent(e, op);
            earlierAdds.put(e, List.copyOf(adds));
            if (lastRead != null) followed.put(e, lastRead);
            if (FinalPhase.isOk(op)) adds.add(op);
            continue;
          }
          if (!FinalPhase.is(op, "read") || !FinalPhase.isOk(op)) continue;
          Set<Object> x = elements(op);
          for (Operation a : adds) {
            Object e = Values.canonical(a.input());
            if (lacks(x, e, op)) {
              tally.add(Guarantee.READ_YOUR_WRITES, a, op, "process " + op.process() + " added " + show(e) + " " + at(a)
                  + " and then read the set without it " + at(op) + ", though no remove of it had been invoked.");
            }
          }
          for (Operation r : reads) {
            for (Object e : sorted(elements(r))) {
              if (!lacks(x, e, op)) continue;
              tally.add(Guarantee.MONOTONIC_READS, r, op, "process " + op.process() + " read " + show(e) + " in the set "
                  + at(r) + " and later read it without " + show(e) + " " + at(op) + ", though no remove of it had been invoked.");
              break;
            }
          }
          // The last ok read before an add is the one it follows: monotonic reads covers the earlier ones.
          lastRead = op;
          reads.add(op);
        }
      }
      for (Operation op : ops) {
        if (!FinalPhase.is(op, "read") || !FinalPhase.isOk(op)) continue;
        Set<Object> x = elements(op);
        for (Object u : sorted(x)) {
          Operation add = addOf.get(u);
          for (Operation a : earlierAdds.getOrDefault(u, List.of())) {
            Object e = Values.canonical(a.input());
            if (!lacks(x, e, op)) continue;
            tally.add(Guarantee.MONOTONIC_WRITES, a, op, "process " + op.process() + " read a set " + at(op) + " with "
                + show(u) + " but without " + show(e) + ", which process " + a.process() + " added before "
                + show(u) + " " + at(a) + ".");
          }
          Operation r = followed.get(u);
          if (r == null) continue;
          for (Object e : sorted(elements(r))) {
            if (!lacks(x, e, op)) continue;
            tally.add(Guarantee.WRITES_FOLLOW_READS, r, op, "process " + op.process() + " read a set " + at(op) + " with "
                + show(u) + " but without " + show(e) + ", which process " + add.process() + " had read " + at(r)
                + " before adding " + show(u) + ".");
            break;
          }
        }
      }
    }

    static List<Object> sorted(Collection<Object> c) {
      List<Object> l = new ArrayList<>(c);
      l.sort(Values.ORDER);
      return l;
    }
  }
}
