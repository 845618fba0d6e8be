package io.faultline.checkers.txn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which anomalies imply which, which consistency models imply which, and which anomalies each model
 * forbids: Elle's tables (after Adya, Bailis, Cerone, Daudjee and others), as data. A model holds when
 * no anomaly found implies one it forbids, directly or through a weaker model it implies.
 */
final class Isolation {
  private Isolation() {}

  /** a -> what finding a also means (G0 is also G1c, a lost update is also G2-item, ...). */
  private static final Map<String, List<String>> IMPLIES = new LinkedHashMap<>();
  /** model -> the weaker models it implies. Keys and values are canonical names. */
  private static final Map<String, List<String>> WEAKER = new LinkedHashMap<>();
  /** model -> the anomalies it forbids on top of those its weaker models forbid. */
  private static final Map<String, List<String>> FORBIDS = new LinkedHashMap<>();
  /** The names people use, to Adya's names where Elle canonicalises them. */
  private static final Map<String, String> CANONICAL = new LinkedHashMap<>();
  private static final Map<String, String> FRIENDLY = new LinkedHashMap<>();

  private static void implies(String a, String... bs) {
    IMPLIES.computeIfAbsent(a, x -> new ArrayList<>()).addAll(List.of(bs));
  }

  private static void weaker(String m, String... ws) {
    WEAKER.computeIfAbsent(canonical(m), x -> new ArrayList<>()).addAll(List.of(ws).stream().map(Isolation::canonical).toList());
  }

  private static void forbids(String m, String... as) {
    FORBIDS.computeIfAbsent(canonical(m), x -> new ArrayList<>()).addAll(List.of(as));
  }

  private static void name(String friendly, String canonical) {
    CANONICAL.put(friendly, canonical);
    FRIENDLY.putIfAbsent(canonical, friendly);
  }

  static {
    implies("G0", "G1c", "G0-process");
    implies("G0-process", "G1c-process", "G0-realtime");
    implies("G0-realtime", "G1c-realtime");
    implies("G1a", "G1");
    implies("G1b", "G1");
    implies("G1c", "G1", "G1c-process");
    implies("G1c-process", "G1c-realtime", "G1-process");
    implies("G1c-realtime", "G1-realtime");
    implies("G1", "G1-process");
    implies("G1-process", "G1-realtime");
    implies("G-single-item", "G-single", "G-single-item-process", "G-nonadjacent-item");
    implies("G-single-item-process", "G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process");
    implies("G-single-item-realtime", "G-single-realtime", "G-nonadjacent-item-realtime");
    implies("G-single", "G-nonadjacent", "GSIb", "G-single-process");
    implies("G-single-process", "G-nonadjacent-process", "G-single-realtime");
    implies("G-single-realtime", "G-nonadjacent-realtime");
    implies("G-nonadjacent-item", "G-nonadjacent", "G2-item", "G-nonadjacent-item-process");
    implies("G-nonadjacent-item-process", "G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime");
    implies("G-nonadjacent-item-realtime", "G2-item-realtime", "G-nonadjacent-realtime");
    implies("G-nonadjacent", "G2", "G-nonadjacent-process");
    implies("G-nonadjacent-process", "G2-process", "G-nonadjacent-realtime");
    implies("G-nonadjacent-realtime", "G2-realtime");
    implies("G2", "G2-process");
    implies("G2-item", "G2", "G2-item-process");
    implies("G2-item-process", "G2-process", "G2-item-realtime");
    implies("G2-item-realtime", "G2-realtime");
    implies("G2-process", "G2-realtime");
    implies("GSIa", "GSI");
    implies("GSIb", "GSI");
    // Two reads that no single order of appends explains: one of them saw a state that never was.
    implies("incompatible-order", "G1a");
    // Reading one's own later write is a trivial cycle of information flow.
    implies("future-read", "G1c");
    implies("dirty-update", "G1a");
    implies("lost-update", "write-skew", "G2-item");
    implies("write-skew", "G2");
    // Faultline's own: a list element no transaction appended was read from nowhere a committed
    // transaction wrote, which is at least an aborted read.
    implies("garbage-read", "G1a");

    name("consistent-view", "PL-2+");
    name("conflict-serializable", "PL-3");
    name("cursor-stability", "PL-CS");
    name("forward-consistent-view", "PL-FCV");
    name("monotonic-snapshot-read", "PL-MSR");
    name("monotonic-view", "PL-2L");
    name("read-committed", "PL-2");
    name("read-uncommitted", "PL-1");
    name("repeatable-read", "PL-2.99");
    name("snapshot-isolation", "PL-SI");
    name("strict-serializable", "PL-SS");
    name("strong-serializable", "PL-SS");
    name("update-serializable", "PL-3U");
    name("strong-session-read-uncommitted", "strong-session-PL-1");
    name("strong-session-read-committed", "strong-session-PL-2");
    name("strong-read-uncommitted", "strong-PL-1");
    name("strong-read-committed", "strong-PL-2");
    // Serializable means conflict serializable, and is the name shown for it.
    CANONICAL.put("serializable", "PL-3");
    FRIENDLY.put("PL-3", "serializable");

    weaker("causal-cerone", "read-atomic");
    weaker("consistent-view", "cursor-stability", "monotonic-view");
    weaker("conflict-serializable", "view-serializable");
    weaker("cursor-stability", "read-committed");
    weaker("forward-consistent-view", "consistent-view");
    weaker("read-committed", "read-uncommitted");
    weaker("serializable", "repeatable-read", "update-serializable", "snapshot-isolation", "view-serializable");
    weaker("update-serializable", "forward-consistent-view");
    weaker("monotonic-atomic-view", "read-committed");
    weaker("monotonic-view", "read-committed");
    weaker("monotonic-snapshot-read", "read-committed");
    weaker("parallel-snapshot-isolation", "causal-cerone", "ROLA");
    weaker("prefix", "causal-cerone");
    weaker("read-atomic", "monotonic-atomic-view");
    weaker("repeatable-read", "cursor-stability", "monotonic-atomic-view");
    weaker("ROLA", "read-atomic");
    weaker("session-serializable", "1SR");
    weaker("snapshot-isolation", "forward-consistent-view", "monotonic-atomic-view", "monotonic-snapshot-read",
        "parallel-snapshot-isolation", "prefix");
    weaker("strict-serializable", "serializable", "linearizable", "snapshot-isolation", "strong-snapshot-isolation",
        "strong-session-serializable", "session-serializable");
    weaker("strong-session-read-uncommitted", "read-uncommitted");
    weaker("strong-session-read-committed", "read-committed", "strong-session-read-uncommitted");
    weaker("strong-read-uncommitted", "strong-session-read-uncommitted");
    weaker("strong-read-committed", "strong-session-read-committed", "strong-read-uncommitted");
    weaker("strong-session-serializable", "serializable", "strong-session-snapshot-isolation");
    weaker("strong-session-snapshot-isolation", "snapshot-isolation", "strong-session-read-committed");
    weaker("strong-snapshot-isolation", "strong-session-snapshot-isolation", "strong-read-committed");
    weaker("linearizable", "sequential");
    weaker("sequential", "causal");
    weaker("causal", "writes-follow-reads", "PRAM");
    weaker("PRAM", "monotonic-reads", "monotonic-writes", "read-your-writes");

    forbids("causal-cerone", "internal", "G1a");
    forbids("cursor-stability", "G1", "G-cursor", "lost-update");
    forbids("monotonic-view", "G1", "G-monotonic");
    forbids("monotonic-snapshot-read", "G1", "G-MSR");
    forbids("consistent-view", "G1", "G-single");
    forbids("forward-consistent-view", "G1", "G-SIb");
    forbids("parallel-snapshot-isolation", "internal", "G1a");
    forbids("serializable", "G1", "G2", "predicate-read-miss", "PL-3-cycle-exists", "internal");
    forbids("read-committed", "G1", "PL-2-cycle-exists");
    forbids("read-uncommitted", "G0", "duplicate-elements", "cyclic-versions", "PL-1-cycle-exists", "garbage-read");
    forbids("prefix", "internal", "G1a");
    forbids("snapshot-isolation", "internal", "G1", "G-SI", "G-nonadjacent", "PL-SI-cycle-exists");
    forbids("read-atomic", "internal", "G1a", "future-read");
    forbids("repeatable-read", "G1", "G2-item", "PL-2.99-cycle-exists", "lost-update");
    forbids("ROLA", "lost-update");
    forbids("strict-serializable", "G1", "G1c-realtime", "G2-realtime", "PL-SS-cycle-exists");
    forbids("strong-session-read-uncommitted", "strong-session-PL-1-cycle-exists", "G0-process");
    forbids("strong-session-read-committed", "strong-session-PL-2-cycle-exists", "G1c-process");
    forbids("strong-read-uncommitted", "strong-PL-1-cycle-exists", "G0-realtime");
    forbids("strong-read-committed", "strong-PL-2-cycle-exists", "G1c-realtime");
    forbids("strong-session-snapshot-isolation", "internal", "G1-process", "G-nonadjacent-process",
        "strong-session-snapshot-isolation-cycle-exists");
    forbids("strong-snapshot-isolation", "internal", "G1-realtime", "G-nonadjacent-realtime",
        "strong-snapshot-isolation-cycle-exists");
    forbids("strong-session-serializable", "G1-process", "G2-process", "strong-session-serializable-cycle-exists");
    forbids("update-serializable", "G1", "G-update");
  }

  static String canonical(String model) {
    return CANONICAL.getOrDefault(model, model);
  }

  static String friendly(String model) {
    return FRIENDLY.getOrDefault(model, model);
  }

  /** Every model, by the names people use. */
  static Set<String> models() {
    Set<String> all = new TreeSet<>();
    for (Map.Entry<String, List<String>> e : WEAKER.entrySet()) {
      all.add(friendly(e.getKey()));
      for (String w : e.getValue()) all.add(friendly(w));
    }
    for (String m : FORBIDS.keySet()) all.add(friendly(m));
    all.addAll(CANONICAL.keySet());
    return all;
  }

  /** Every anomaly Elle names, with those this checker adds. */
  static Set<String> anomalies() {
    Set<String> all = new TreeSet<>();
    for (Map.Entry<String, List<String>> e : IMPLIES.entrySet()) {
      all.add(e.getKey());
      all.addAll(e.getValue());
    }
    FORBIDS.values().forEach(all::addAll);
    all.addAll(List.of("empty-transaction-graph", "cycle-search-timeout"));
    return all;
  }

  static boolean isModel(String name) {
    String c = canonical(name);
    return models().contains(name) || WEAKER.containsKey(c) || FORBIDS.containsKey(c);
  }

  /** The anomalies these imply, themselves included. */
  static Set<String> implied(Collection<String> anomalies) {
    return closure(anomalies, IMPLIES);
  }

  /** The anomalies that imply any of these, themselves included: what asking for G1 looks for. */
  static Set<String> implying(Collection<String> anomalies) {
    return closure(anomalies, reverse(IMPLIES));
  }

  /** The models these imply, themselves included (canonical names). */
  static Set<String> weakerOrSame(Collection<String> models) {
    return closure(models.stream().map(Isolation::canonical).toList(), WEAKER);
  }

  /** The models that imply any of these, themselves included (canonical names). */
  static Set<String> strongerOrSame(Collection<String> models) {
    return closure(models.stream().map(Isolation::canonical).toList(), reverse(WEAKER));
  }

  /** Every anomaly that, found, means these models do not all hold. */
  static Set<String> forbiddenBy(Collection<String> models) {
    Set<String> direct = new LinkedHashSet<>();
    for (String m : weakerOrSame(models)) direct.addAll(FORBIDS.getOrDefault(m, List.of()));
    return implying(direct);
  }

  /** The models that cannot hold given these anomalies (canonical names). */
  static Set<String> ruledOut(Collection<String> anomalies) {
    Set<String> implied = implied(anomalies);
    Set<String> direct = new LinkedHashSet<>();
    for (Map.Entry<String, List<String>> e : FORBIDS.entrySet()) {
      for (String a : e.getValue()) {
        if (implied.contains(a)) {
          direct.add(e.getKey());
          break;
        }
      }
    }
    return strongerOrSame(direct);
  }

  /** Of these models, those not stronger than another of them: "not read-committed" rather than all twenty. */
  static Set<String> weakest(Collection<String> models) {
    Set<String> out = new TreeSet<>();
    for (String m : models) {
      Set<String> below = weakerOrSame(List.of(m));
      below.remove(canonical(m));
      boolean covered = false;
      for (String o : models) {
        if (!canonical(o).equals(canonical(m)) && below.contains(canonical(o))) covered = true;
      }
      if (!covered) out.add(friendly(canonical(m)));
    }
    return out;
  }

  private static Set<String> closure(Collection<String> start, Map<String, List<String>> edges) {
    Set<String> seen = new LinkedHashSet<>(start);
    ArrayDeque<String> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      for (String next : edges.getOrDefault(todo.poll(), List.of())) {
        if (seen.add(next)) todo.add(next);
      }
    }
    return seen;
  }

  private static Map<String, List<String>> reverse(Map<String, List<String>> edges) {
    Map<String, List<String>> r = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : edges.entrySet()) {
      for (String b : e.getValue()) r.computeIfAbsent(b, x -> new ArrayList<>()).add(e.getKey());
    }
    return r;
  }
}
