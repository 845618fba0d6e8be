package io.faultline.checkers.base;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that every key converges, and soon enough, once faults and writes stop: eventual
 * consistency as a test can see it.
 *
 * <p>The start is the later of the last nemesis record and the last completion of any operation
 * other than a read (see {@code FinalPhase}). A key has <em>converged</em> at time T when every ok
 * read of it invoked at or after T returns the same value (sets compared as sets, counters as
 * numbers) and every node of the history answered at least one of those reads. The earliest such T
 * is the invocation of the first read of the longest agreeing run of final reads; the key's
 * <b>convergence time</b> is that read's completion time minus the start (never below 0): the moment
 * the first read of the first all-agreeing poll round came back. The nodes are every node a client
 * operation of the history names.
 *
 * <p>A key whose final reads do not end in such a run (the last reads of two nodes disagree, or a
 * node never answered) has not converged, and the verdict is false; so it is when a key converged
 * later than the bound (30 s by default). With no final read at all the verdict is unknown: nothing
 * says the store converged. A final read this data type cannot interpret makes an otherwise valid
 * verdict unknown.
 *
 * <p>Details: {@code start-nanos}, {@code bound-ms}, {@code nodes}, {@code key-count},
 * {@code converged-count}, {@code not-converged-count}, {@code late-count}; {@code convergence-ms},
 * a map from each converged key (printed) to its convergence time in ms; {@code distribution}, with
 * {@code count}, {@code min}, {@code p50}, {@code p90}, {@code p99} and {@code max} in ms (nearest
 * rank); {@code not-converged}, the first 32 such keys, each with {@code key}, {@code last-values}
 * (node to the value of its last final read) and {@code silent-nodes} (nodes with no final read);
 * {@code late}, the first 32 keys over the bound, each with {@code key} and {@code convergence-ms}.
 */
public final class ConvergenceChecker implements Checker {
  static final String NAME = "convergence";
  /** Long enough for anti-entropy rounds of seconds to finish after a heal, short enough to catch a stuck one. */
  public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);

  private final DataType type;
  private final Duration bound;

  public ConvergenceChecker(DataType type) {
    this(type, DEFAULT_BOUND);
  }

  /** A key converging later than {@code bound} after the start makes the history invalid. */
  public ConvergenceChecker(DataType type, Duration bound) {
    this.type = Objects.requireNonNull(type);
    if (bound.isNegative()) throw new IllegalArgumentException("bound must not be negative");
    this.bound = bound;
  }

  @Override
  public Result check(CheckContext context, History history) {
    FinalPhase phase = FinalPhase.of(history, type);
    Map<String, Object> convergence = new LinkedHashMap<>();
    List<Long> times = new ArrayList<>();
    List<Map<String, Object>> notConverged = new ArrayList<>();
    List<Map<String, Object>> late = new ArrayList<>();
    long notConvergedCount = 0;
    long lateCount = 0;
    for (FinalPhase.Key k : phase.keys.values()) {
      if (!k.converged) {
        notConvergedCount++;
        if (notConverged.size() < BaseData.CAP) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", Values.plain(k.key));
          m.put("last-values", FinalPhase.lastValues(k));
          m.put("silent-nodes", List.copyOf(k.silent));
          notConverged.add(m);
        }
        continue;
      }
      long nanos = Math.max(0, k.firstAgreeing().completion().time() - phase.start);
      times.add(nanos);
      convergence.put(Values.plainKey(k.key), BaseData.millis(nanos));
      if (nanos > bound.toNanos()) {
        lateCount++;
        if (late.size() < BaseData.CAP) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", Values.plain(k.key));
          m.put("convergence-ms", BaseData.millis(nanos));
          late.add(m);
        }
      }
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("start-nanos", phase.start);
    details.put("bound-ms", bound.toMillis());
    details.put("nodes", phase.nodes);
    details.put("key-count", (long) phase.keys.size());
    details.put("converged-count", (long) times.size());
    details.put("not-converged-count", notConvergedCount);
    details.put("late-count", lateCount);
    details.put("convergence-ms", convergence);
    details.put("distribution", distribution(times));
    details.put("not-converged", notConverged);
    details.put("late", late);
    if (phase.malformedCount > 0) {
      details.put("malformed-count", phase.malformedCount);
      details.put("malformed", phase.malformed);
    }

    Validity validity;
    String summary;
    if (phase.finalReadCount == 0) {
      validity = Validity.UNKNOWN;
      summary = "no final reads: nothing read after the last fault and write";
    } else if (notConvergedCount > 0 || lateCount > 0) {
      validity = Validity.FALSE;
      summary = (notConvergedCount > 0 ? notConvergedCount + " of " + phase.keys.size() + " keys never converged" : "")
          + (notConvergedCount > 0 && lateCount > 0 ? ", " : "")
          + (lateCount > 0 ? lateCount + " converged later than " + bound.toMillis() + " ms" : "");
    } else if (phase.malformedCount > 0) {
      validity = Validity.UNKNOWN;
      summary = phase.malformedCount + " malformed final reads";
    } else {
      validity = Validity.TRUE;
      summary = "all " + times.size() + " keys converged, the slowest in "
          + BaseData.millis(times.stream().mapToLong(Long::longValue).max().orElse(0)) + " ms";
    }
    return Result.of(NAME, validity, summary, details);
  }

  /** Nearest-rank percentiles of convergence times, in ms; only {@code count} when there are none. */
  static Map<String, Object> distribution(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", (long) sorted.size());
    if (sorted.isEmpty()) return m;
    m.put("min", BaseData.millis(sorted.get(0)));
    for (int p : new int[] {50, 90, 99}) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.size());
      m.put("p" + p, BaseData.millis(sorted.get(Math.max(0, rank - 1))));
    }
    m.put("max", BaseData.millis(sorted.get(sorted.size() - 1)));
    return m;
  }
}
