package io.faultline.checkers.base;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that acknowledged writes survive in the value a key converged to: the value of the
 * agreeing run of final reads that {@link ConvergenceChecker} finds (whether or not it came within
 * its bound). A key that did not converge says nothing about loss; it makes an otherwise valid
 * verdict unknown, and the convergence checker reports it.
 *
 * <ul>
 *   <li><b>set</b>: an element whose add was acknowledged (ok) is lost when the converged set lacks
 *       it, unless a remove of it (or-set) was invoked after the add was invoked and did not fail
 *       (ok, info or pending): such a remove may have observed the add and removed it. A remove
 *       invoked before the add cannot have. An element in the converged set that no add which did
 *       not fail ever added is <em>unexpected</em>.
 *   <li><b>counter</b>: the converged count must lie between the sum of the acknowledged deltas plus
 *       every negative delta that may have applied (info or pending) and the sum of the acknowledged
 *       deltas plus every positive delta that may have applied; failed adds count in neither. A count
 *       below the lower bound lost acknowledged increments; one above the upper bound counted
 *       something never added. Each such key is one entry.
 *   <li><b>register</b>: values are unique per key, so the converged value names the write that won.
 *       Every ok write that began after the winner had completed is lost: last-writer-wins by real
 *       time must not let an older write win over it. A winner that may not have completed (info or
 *       pending) loses nothing for certain. A converged nil loses every ok write; a converged value
 *       no write that did not fail wrote is unexpected.
 * </ul>
 *
 * <p>The verdict is false for any lost write or unexpected value, else unknown when a key did not
 * converge or there were no final reads, else true.
 *
 * <p>Details: {@code checked-key-count}; {@code lost-count} and {@code lost}, the first 32 lost
 * writes, each with {@code key}, {@code value}, the write's {@code write} (index,
 * completion-index, process, f, key, value, type, node, invoke-time, complete-time) and for a
 * register the {@code winner} (the same fields; nil for a converged nil) or for a counter
 * {@code converged}, {@code lower} and {@code upper} instead of a write; {@code unexpected-count} and
 * {@code unexpected} (each {@code key} and {@code value}); {@code unconverged-key-count} and
 * {@code unconverged-keys} (the first 32).
 */
public final class LostWritesChecker implements Checker {
  static final String NAME = "lost-writes";

  private final DataType type;

  public LostWritesChecker(DataType type) {
    this.type = Objects.requireNonNull(type);
  }

  /** What a key's judgement found; the lists are capped when the details are written. */
  private static final class Found {
    final List<Map<String, Object>> lost = new ArrayList<>();
    final List<Map<String, Object>> unexpected = new ArrayList<>();
  }

  @Override
  public Result check(CheckContext context, History history) {
    FinalPhase phase = FinalPhase.of(history, type);
    Map<Object, List<Operation>> byKey = new HashMap<>();
    for (Operation op : history.operations()) {
      byKey.computeIfAbsent(Values.canonical(op.key()), k -> new ArrayList<>()).add(op);
    }
    Found found = new Found();
    List<Object> unconverged = new ArrayList<>();
    long checked = 0;
    for (FinalPhase.Key k : phase.keys.values()) {
      if (!k.converged) {
        unconverged.add(Values.plain(k.key));
        continue;
      }
      checked++;
      List<Operation> ops = byKey.getOrDefault(k.key, List.of());
      switch (type) {
        case SET -> judgeSet(k, ops, found);
        case COUNTER -> judgeCounter(k, ops, found);
        case REGISTER -> judgeRegister(k, ops, found);
      }
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checked-key-count", checked);
    details.put("lost-count", (long) found.lost.size());
    details.put("lost", capped(found.lost));
    details.put("unexpected-count", (long) found.unexpected.size());
    details.put("unexpected", capped(found.unexpected));
    details.put("unconverged-key-count", (long) unconverged.size());
    details.put("unconverged-keys", capped(unconverged));

    Validity validity;
    String summary;
    if (!found.lost.isEmpty() || !found.unexpected.isEmpty()) {
      validity = Validity.FALSE;
      summary = (found.lost.isEmpty() ? "" : found.lost.size() + " acknowledged writes lost")
          + (!found.lost.isEmpty() && !found.unexpected.isEmpty() ? ", " : "")
          + (found.unexpected.isEmpty() ? "" : found.unexpected.size() + " unexpected values");
    } else if (phase.finalReadCount == 0) {
      validity = Validity.UNKNOWN;
      summary = "no final reads: no converged value to look for writes in";
    } else if (!unconverged.isEmpty()) {
      validity = Validity.UNKNOWN;
      summary = unconverged.size() + " keys did not converge, so loss cannot be judged there; none lost in "
          + checked + " others";
    } else {
      validity = Validity.TRUE;
      summary = "no acknowledged write lost in " + checked + " keys";
    }
    return Result.of(NAME, validity, summary, details);
  }

  private static <T> List<T> capped(List<T> all) {
    return List.copyOf(all.subList(0, Math.min(BaseData.CAP, all.size())));
  }

  private static void judgeSet(FinalPhase.Key k, List<Operation> ops, Found found) {
    Set<?> converged = (Set<?>) k.value();
    // Per element, the latest invocation of a remove that may have happened: a later one excuses more.
    Map<Object, Long> lastRemove = new HashMap<>();
    Map<Object, Boolean> added = new HashMap<>();
    for (Operation op : ops) {
      if (op.outcome() == Operation.Outcome.FAIL) continue;
      Object e = Values.canonical(op.input());
      if (FinalPhase.is(op, "remove")) lastRemove.merge(e, op.callPosition(), Math::max);
      if (FinalPhase.is(op, "add")) added.put(e, true);
    }
    for (Operation op : ops) {
      if (!FinalPhase.is(op, "add") || !FinalPhase.isOk(op)) continue;
      Object e = Values.canonical(op.input());
      if (converged.contains(e) || lastRemove.getOrDefault(e, -1L) > op.callPosition()) continue;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", Values.plain(k.key));
      m.put("value", Values.plain(op.input()));
      m.put("write", BaseData.op(op));
      found.lost.add(m);
    }
    List<Object> sorted = new ArrayList<>(converged);
    sorted.sort(Values.ORDER);
    for (Object e : sorted) if (!added.containsKey(e)) found.unexpected.add(unexpected(k, e));
  }

  private static void judgeCounter(FinalPhase.Key k, List<Operation> ops, Found found) {
    BigInteger value = (BigInteger) k.value();
    BigInteger lower = BigInteger.ZERO;
    BigInteger upper = BigInteger.ZERO;
    for (Operation op : ops) {
      if (!FinalPhase.is(op, "add") || op.outcome() == Operation.Outcome.FAIL) continue;
      Object d = DataType.COUNTER.canonical(op.input());
      if (d == DataType.MALFORMED) continue;
      BigInteger delta = (BigInteger) d;
      if (FinalPhase.isOk(op)) {
        lower = lower.add(delta);
        upper = upper.add(delta);
      } else if (delta.signum() < 0) {
        lower = lower.add(delta);
      } else {
        upper = upper.add(delta);
      }
    }
    if (value.compareTo(lower) >= 0 && value.compareTo(upper) <= 0) return;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", Values.plain(k.key));
    m.put("converged", DataType.plain(value));
    m.put("lower", DataType.plain(lower));
    m.put("upper", DataType.plain(upper));
    if (value.compareTo(lower) < 0) {
      m.put("missing", DataType.plain(lower.subtract(value)));
      found.lost.add(m);
    } else {
      m.put("excess", DataType.plain(value.subtract(upper)));
      found.unexpected.add(m);
    }
  }

  private static void judgeRegister(FinalPhase.Key k, List<Operation> ops, Found found) {
    Object value = k.value();
    Operation winner = null;
    for (Operation op : ops) {
      if (FinalPhase.is(op, "write") && op.outcome() != Operation.Outcome.FAIL
          && Objects.equals(Values.canonical(op.input()), value)) {
        winner = op;
        break;
      }
    }
    if (value != null && winner == null) {
      found.unexpected.add(unexpected(k, value));
      return;
    }
    // An indeterminate winner may have taken effect at any time after its call: nothing certainly followed it.
    long wonAt = winner == null ? -1 : winner.isIndeterminate() ? Long.MAX_VALUE : winner.returnPosition();
    for (Operation op : ops) {
      if (!FinalPhase.is(op, "write") || !FinalPhase.isOk(op) || op == winner || op.callPosition() < wonAt) continue;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", Values.plain(k.key));
      m.put("value", Values.plain(op.input()));
      m.put("write", BaseData.op(op));
      m.put("winner", winner == null ? null : BaseData.op(winner));
      found.lost.add(m);
    }
  }

  private static Map<String, Object> unexpected(FinalPhase.Key k, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", Values.plain(k.key));
    m.put("value", DataType.plain(value));
    return m;
  }
}
