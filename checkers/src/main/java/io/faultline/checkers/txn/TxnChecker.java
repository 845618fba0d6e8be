package io.faultline.checkers.txn;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Transactional isolation, checked as Elle checks it. The verdict is false when an anomaly is found
 * that the chosen consistency models forbid (or that {@code anomalies} names), unknown when nothing
 * forbidden was found but the search was cut short or no dependency could be inferred at all, and
 * true otherwise. The result names every anomaly found with its explanation in words, the cycles as
 * data (transactions, micro-ops, edge kinds), and the models the history still satisfies.
 *
 * <p>Contract: a history whose values are not transactions of the workload is malformed: {@link #check}
 * throws {@link io.faultline.checkers.history.HistoryException} naming the operation and the fix. On a
 * well-formed history it never throws, and answers unknown with the reason when the context's time or
 * memory runs out.
 */
public final class TxnChecker implements Checker {
  /** The two kinds of transactional history Elle reads. */
  public enum Workload {
    /** {@code [:append k v]} and {@code [:r k [v ...]]}. */
    LIST_APPEND("list-append"),
    /** {@code [:w k v]} and {@code [:r k v]}, every written value unique per key. */
    RW_REGISTER("rw-register");

    private final String wireName;

    Workload(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** The workload a --model name means, or null. */
    public static Workload fromName(String name) {
      for (Workload w : values()) if (w.wireName.equals(name)) return w;
      return null;
    }
  }

  /**
   * What to check.
   *
   * @param consistencyModels models that must hold; null means strict-serializable, unless anomalies
   *     are named, when it means none (as Elle's :consistency-models nil)
   * @param anomalies anomalies to look for besides, each with those that imply it (G1 also means
   *     G1a, G1b, G1c and G0); null for none
   * @param wfrKeys rw-register: a transaction's writes follow its reads, so a read then a write of a
   *     key orders the two versions
   * @param sequentialKeys rw-register: each key is sequentially consistent, so process order orders
   *     its versions
   * @param linearizableKeys rw-register: each key is linearizable, so real-time order orders its versions
   */
  public record Options(Workload workload, List<String> consistencyModels, List<String> anomalies,
      boolean wfrKeys, boolean sequentialKeys, boolean linearizableKeys) {
    public static Options of(Workload workload) {
      return new Options(workload, null, null, false, false, false);
    }

    public Options withConsistency(List<String> models) {
      return new Options(workload, models, anomalies, wfrKeys, sequentialKeys, linearizableKeys);
    }

    public Options withAnomalies(List<String> names) {
      return new Options(workload, consistencyModels, names, wfrKeys, sequentialKeys, linearizableKeys);
    }

    public Options withVersionOrders(boolean wfr, boolean sequential, boolean linearizable) {
      return new Options(workload, consistencyModels, anomalies, wfr, sequential, linearizable);
    }
  }

  private static final Set<String> UNKNOWN_TYPES = Set.of("empty-transaction-graph", "cycle-search-timeout");
  /** Steps a search for one class may take in one component before it gives up on that class there. */
  private static final long STEPS_PER_SEARCH = 20_000_000;

  private final Options options;
  private final List<String> models;
  private final Set<String> forbidden;
  private final Set<String> reportable;

  /** @throws IllegalArgumentException naming the unknown model or anomaly and the known ones */
  public TxnChecker(Options options) {
    this.options = options;
    List<String> ms = options.consistencyModels() != null ? options.consistencyModels()
        : options.anomalies() != null ? List.of() : List.of("strict-serializable");
    for (String m : ms) {
      if (!Isolation.isModel(m)) {
        throw new IllegalArgumentException("unknown consistency model '" + m + "'; expected one of "
            + String.join(", ", Isolation.models()));
      }
    }
    List<String> as = options.anomalies() == null ? List.of() : options.anomalies();
    for (String a : as) {
      if (!Isolation.anomalies().contains(a)) {
        throw new IllegalArgumentException("unknown anomaly '" + a + "'; expected names such as G0, G1, G1a, G1b,"
            + " G1c, G-single, G2-item, G2, internal, lost-update (all: " + String.join(", ", Isolation.anomalies()) + ")");
      }
    }
    this.models = ms;
    Set<String> f = new LinkedHashSet<>(Isolation.implying(as));
    f.addAll(Isolation.forbiddenBy(ms));
    this.forbidden = f;
    Set<String> r = new LinkedHashSet<>(f);
    r.addAll(UNKNOWN_TYPES);
    this.reportable = r;
  }

  /** Every consistency model a check can be asked for. */
  public static Set<String> consistencyModels() {
    return Isolation.models();
  }

  @Override
  public Result check(CheckContext context, History history) {
    Budget budget = new Budget(context);
    try {
      return analyse(budget, Txns.of(history, options.workload(), budget));
    } catch (Budget.Exhausted e) {
      return unknown(e.getMessage());
    }
  }

  private Result unknown(String reason) {
    return Result.of(options.workload().wireName(), Validity.UNKNOWN, reason, Map.of("reason", reason));
  }

  private Result analyse(Budget budget, Txns txns) {
    if (txns.count == 0) return unknown("nothing to check: no transactions");
    Inference inference = options.workload() == Workload.LIST_APPEND ? new ListAppend(txns, budget)
        : new RwRegister(txns, budget, options);
    inference.infer();
    if (inference.unanalysable != null) return unknown(inference.unanalysable);

    byte order = needs("-realtime") ? Graph.REALTIME : needs("-process") ? Graph.PROCESS : 0;
    if (order == Graph.REALTIME) Orders.realtime(txns, inference.edges, budget);
    if (order == Graph.PROCESS) Orders.process(txns, inference.edges, budget);
    Graph g = Graph.build(txns.count, inference.edges, budget);
    if (g.edges() == 0) {
      inference.found("empty-transaction-graph", Map.of("text", "no dependency between any two of the "
          + txns.count + " transactions could be inferred, so no cycle can be looked for"));
    }
    List<Cycle> cycles = new ArrayList<>();
    int[] sccs = Cycles.search(g, txns, inference, budget, STEPS_PER_SEARCH, cycles);
    for (Cycle c : cycles) inference.found(c.type, c.data);

    Set<String> found = new TreeSet<>(inference.counts.keySet());
    Set<String> reported = new TreeSet<>(found);
    reported.retainAll(reportable);
    dropRedundantCycleExists(reported);
    Set<String> bad = new TreeSet<>(reported);
    bad.retainAll(forbidden);
    Validity v = !bad.isEmpty() ? Validity.FALSE : !reported.isEmpty() ? Validity.UNKNOWN : Validity.TRUE;

    Set<String> ruledOut = Isolation.ruledOut(found);
    Set<String> satisfied = new TreeSet<>();
    Set<String> notChecked = new TreeSet<>();
    for (String m : Isolation.models()) {
      if (ruledOut.contains(Isolation.canonical(m))) continue;
      if (!searchable(Isolation.forbiddenBy(List.of(m)), order)) notChecked.add(m);
      else satisfied.add(m);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("workload", options.workload().wireName());
    details.put("consistency-models", models);
    if (options.anomalies() != null) details.put("anomalies-asked", options.anomalies());
    details.put("transactions", txns.count);
    details.put("edges", g.edges());
    details.put("order-edges", order == Graph.REALTIME ? "realtime" : order == Graph.PROCESS ? "process" : "none");
    details.put("components-searched", sccs[0]);
    details.put("anomaly-types", new ArrayList<>(reported));
    Map<String, Object> anomalies = new LinkedHashMap<>();
    for (String type : reported) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("count", inference.counts.get(type));
      a.put("cases", inference.cases.getOrDefault(type, List.of()));
      // What this anomaly alone rules out, for a report that explains one anomaly at a time.
      a.put("not", new ArrayList<>(weakestRuledOut(List.of(type))));
      anomalies.put(type, a);
    }
    details.put("anomalies", anomalies);
    Set<String> other = new TreeSet<>(found);
    other.removeAll(reported);
    if (!other.isEmpty()) details.put("also-found", new ArrayList<>(other));
    Set<String> impossible = impossible(ruledOut);
    Set<String> weakest = Isolation.weakest(impossible);
    details.put("not", new ArrayList<>(weakest));
    Set<String> alsoNot = new TreeSet<>(impossible);
    alsoNot.removeAll(weakest);
    details.put("also-not", new ArrayList<>(alsoNot));
    details.put("satisfies", new ArrayList<>(satisfied));
    if (!notChecked.isEmpty()) details.put("not-checked", new ArrayList<>(notChecked));
    if (!inference.notes.isEmpty()) details.put("notes", inference.notes);
    return new Result(options.workload().wireName(), v, summary(v, txns, reported, bad, weakest, inference), details,
        List.of(), cycles.isEmpty() ? null : List.copyOf(cycles));
  }

  /** The models these canonical names rule out, by the names people use. */
  private static Set<String> impossible(Set<String> ruledOut) {
    Set<String> impossible = new TreeSet<>();
    for (String m : ruledOut) impossible.add(Isolation.friendly(m));
    impossible.retainAll(Isolation.models());
    return impossible;
  }

  /** The weakest models these anomalies rule out: "read-committed" rather than every model above it. */
  private static Set<String> weakestRuledOut(Collection<String> anomalies) {
    return Isolation.weakest(impossible(Isolation.ruledOut(anomalies)));
  }

  /** Whether an anomaly of this suffix is worth the edges it needs: Elle adds real time, else process order, else neither. */
  private boolean needs(String suffix) {
    for (String a : reportable) {
      if (a.endsWith(suffix) && Cycles.CLASSES.contains(a)) return true;
    }
    return false;
  }

  /** Whether every cycle class among these was looked for, given the order edges that were added. */
  private static boolean searchable(Collection<String> anomalies, byte order) {
    for (String a : anomalies) {
      if (!Cycles.CLASSES.contains(a)) continue;
      if (a.endsWith("-realtime") && order != Graph.REALTIME) return false;
      if (a.endsWith("-process") && order == 0) return false;
    }
    return true;
  }

  /** A cycle-exists finding says less than a cycle or another anomaly that already rules its model out. */
  private static void dropRedundantCycleExists(Set<String> reported) {
    List<String> concrete = reported.stream().filter(a -> !a.endsWith("-cycle-exists")).toList();
    Set<String> out = Isolation.ruledOut(concrete);
    reported.removeIf(a -> a.endsWith("-cycle-exists")
        && out.contains(a.substring(0, a.length() - "-cycle-exists".length())));
  }

  private String summary(Validity v, Txns txns, Set<String> reported, Set<String> bad, Set<String> weakest,
      Inference inference) {
    String what = models.isEmpty() ? "anomalies " + String.join(", ", options.anomalies()) : String.join(", ", models);
    if (v == Validity.TRUE) {
      return "no anomaly " + what + " forbids in " + txns.count + " transaction" + (txns.count == 1 ? "" : "s");
    }
    Set<String> shown = v == Validity.FALSE ? bad : reported;
    StringBuilder sb = new StringBuilder(String.join(", ", shown));
    if (v == Validity.FALSE && !weakest.isEmpty()) sb.append(" (so not ").append(String.join(", ", weakest)).append(")");
    String first = shown.iterator().next();
    List<Map<String, Object>> cases = inference.cases.get(first);
    if (cases != null && !cases.isEmpty() && cases.get(0).get("text") instanceof String text) {
      sb.append(": ").append(text);
    }
    if (v == Validity.UNKNOWN) sb.insert(0, "cannot tell: ");
    return sb.length() > 600 ? sb.substring(0, 600) + " ..." : sb.toString();
  }
}
