package io.faultline.harness.run;

import io.faultline.targets.node.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Cluster-wide invariants, checked while the run goes on the events the nodes report, whatever the
 * protocol: at most one leader per term; a node votes at most once per term, across its restarts;
 * every node that applies index i applies the same command there, across restarts too, so a
 * committed entry is never lost or replaced; every node's state machine at index i (at a snapshot,
 * an install, a restart) has the same digest, so a replica that diverged is seen even if it never
 * leads and no client reads it. They catch a divergence no client happens to read, and
 * a double vote before it ever makes two leaders. Also counts every event by name: what a sweep
 * reports as coverage.
 *
 * <p>Contract: called on the loop thread only; keeps the first {@link #MAX_KEPT} violations, each
 * one line with the run's time.
 */
final class Invariants implements BiConsumer<String, Observation> {
  static final int MAX_KEPT = 10;

  private final LongSupplier clock;
  private final SortedMap<Long, String> leaders = new TreeMap<>();
  private final SortedMap<String, SortedMap<Long, String>> votes = new TreeMap<>();
  /** Index to the node that first applied it and what: {@code n2 applied 3/Put[key=k1, value=2]}. */
  private final SortedMap<Long, String[]> applied = new TreeMap<>();
  /** Index to the node that first reported its state there and the state's digest. */
  private final SortedMap<Long, String[]> states = new TreeMap<>();
  private final SortedMap<String, Long> counts = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();
  private long more;

  /** @param clock the run's time, for the violations' lines */
  Invariants(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public void accept(String node, Observation o) {
    counts.merge(o.event(), 1L, Long::sum);
    switch (o.event()) {
      case Observation.LEADER -> {
        String before = leaders.putIfAbsent(o.term(), node);
        if (before != null && !before.equals(node)) violation("two leaders in term " + o.term() + ": " + before + " and " + node);
      }
      case Observation.VOTE -> {
        String before = votes.computeIfAbsent(node, k -> new TreeMap<>()).putIfAbsent(o.term(), o.detail());
        if (before != null && !before.equals(o.detail())) {
          violation(node + " voted twice in term " + o.term() + ": for " + before + " and for " + o.detail());
        }
      }
      case Observation.APPLY -> {
        String what = o.term() + "/" + o.detail();
        String[] before = applied.putIfAbsent(o.index(), new String[] {node, what});
        if (before != null && !before[1].equals(what)) {
          violation("index " + o.index() + " applied differently: " + before[0] + " applied " + before[1] + ", " + node
              + " applied " + what);
        }
      }
      case Observation.STATE -> {
        String[] before = states.putIfAbsent(o.index(), new String[] {node, o.detail()});
        if (before != null && !before[1].equals(o.detail())) {
          violation("state at index " + o.index() + " differs: " + before[0] + " had " + before[1] + ", " + node
              + " has " + o.detail());
        }
      }
      default -> {}
    }
  }

  private void violation(String what) {
    if (violations.size() >= MAX_KEPT) {
      more++;
      return;
    }
    violations.add(String.format(Locale.ROOT, "at %.6f s: %s", clock.getAsLong() / 1e9, what));
  }

  /** The violations, first first; the last line counts those not kept. */
  List<String> violations() {
    List<String> out = new ArrayList<>(violations);
    if (more > 0) out.add("and " + more + " more");
    return out;
  }

  /** Every event reported, by name. */
  SortedMap<String, Long> counts() {
    return counts;
  }
}
