package io.faultline.checkers.knossos;

import clojure.lang.IFn;
import clojure.lang.ILookup;
import clojure.lang.IPersistentMap;
import clojure.lang.IPersistentVector;
import clojure.lang.PersistentArrayMap;
import clojure.lang.PersistentHashMap;
import clojure.lang.RT;
import clojure.lang.Var;
import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks linearizability with Jepsen's Knossos ({@code knossos.competition/analysis}, the race of its
 * linear and WGL searches), for a second opinion on Faultline's own checker or to reproduce a
 * Jepsen verdict. Knossos reads the history with Jepsen's semantics whatever Faultline's settings:
 * an {@code ok} read of {@code nil} matches any value and a {@code fail} operation did not happen.
 *
 * <p>A history with keys is checked one key at a time, as Jepsen's independent checker does; the
 * verdict is false over unknown over true. The context's timeout covers the whole check, loading
 * Knossos included: Knossos is given a time limit a little inside it, and if it still has not
 * answered by the timeout the check answers unknown and leaves the search to finish on a daemon
 * thread.
 */
public final class KnossosChecker implements Checker {
  /** The Knossos models this bridge can build, by their names in {@code knossos.model}. */
  static final List<String> MODELS =
      List.of("register", "cas-register", "mutex", "multi-register", "set", "unordered-queue", "fifo-queue");

  private static final clojure.lang.Keyword VALID = ClojureData.kw("valid?");
  private static final clojure.lang.Keyword OP = ClojureData.kw("op");
  private static final clojure.lang.Keyword PREVIOUS_OK = ClojureData.kw("previous-ok");
  private static final clojure.lang.Keyword FINAL_PATHS = ClojureData.kw("final-paths");
  private static final clojure.lang.Keyword CAUSE = ClojureData.kw("cause");
  private static final clojure.lang.Keyword ANALYZER = ClojureData.kw("analyzer");
  private static final clojure.lang.Keyword UNKNOWN = ClojureData.kw("unknown");
  private static final clojure.lang.Keyword TIME_LIMIT = ClojureData.kw("time-limit");

  /** How much of the final paths results.json keeps; Knossos can list thousands. */
  private static final int LISTED_PATHS = 3;

  private final String model;
  private final Object init;
  private final Path jar;
  private final ClassLoader loader;

  /**
   * @param model a Knossos model name: register, cas-register, mutex, multi-register, set,
   *     unordered-queue or fifo-queue
   * @param init the initial value (for multi-register a map from register to value), or null for
   *     the model's default; the mutex, set and queue models take none
   * @param knossosJar a Knossos jar (an uberjar, so that its dependencies come with it), or null to
   *     use one already on the classpath
   * @throws IllegalArgumentException for a model Knossos does not have
   * @throws KnossosUnavailableException when there is no usable jar
   */
  public KnossosChecker(String model, Object init, Path knossosJar) {
    Objects.requireNonNull(model, "model");
    if (!MODELS.contains(model)) {
      throw new IllegalArgumentException(
          "Knossos has no model '" + model + "'; expected one of " + String.join(", ", MODELS));
    }
    this.model = model;
    this.init = init;
    this.jar = knossosJar;
    this.loader = KnossosRuntime.locate(knossosJar);
  }

  @Override
  public Result check(CheckContext context, History history) {
    long start = System.nanoTime();
    Map<Object, List<Op>> parts = partition(history);
    FutureTask<List<Verdict>> task = new FutureTask<>(() -> analyzeAll(parts, context, start));
    Thread worker = new Thread(task, "knossos-analysis");
    worker.setDaemon(true);
    // Threads Knossos starts inherit this loader, so code they load later resolves against the jar.
    worker.setContextClassLoader(loader);
    worker.start();
    List<Verdict> verdicts;
    try {
      verdicts = context.timeout() == null ? task.get() : task.get(remainingNanos(context, start), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      return unknown(history, "Knossos did not answer within " + context.timeout().toMillis() + " ms", start);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return unknown(history, "interrupted while Knossos was checking", start);
    } catch (CancellationException e) {
      return unknown(history, "Knossos check was cancelled", start);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KnossosUnavailableException ku) throw ku;
      return unknown(history, "Knossos failed: " + KnossosRuntime.oneLine(cause), start);
    }
    return toResult(verdicts, history, start);
  }

  private static long remainingNanos(CheckContext context, long start) {
    return Math.max(0, context.deadlineNanos(start) - System.nanoTime());
  }

  /** One key's answer from Knossos. */
  private record Verdict(Object key, int ops, IPersistentMap analysis) {}

  private List<Verdict> analyzeAll(Map<Object, List<Op>> parts, CheckContext context, long start) {
    KnossosRuntime.load(loader, jar);
    Var analysis = KnossosRuntime.find(KnossosRuntime.COMPETITION, "analysis");
    if (analysis == null) {
      throw new KnossosUnavailableException("Knossos was loaded but has no knossos.competition/analysis; "
          + "use a Knossos release with the competition checker (0.3.0 or later)");
    }
    boolean takesOpts = KnossosRuntime.hasArity(analysis, 3);
    Object knossosModel = buildModel();
    boolean multiRegister = isMultiRegister();
    List<Verdict> verdicts = new ArrayList<>(parts.size());
    for (Map.Entry<Object, List<Op>> part : parts.entrySet()) {
      IPersistentVector h = ClojureData.history(part.getValue(), multiRegister);
      Object answer;
      if (takesOpts && context.timeout() != null) {
        answer = analysis.invoke(knossosModel, h, PersistentArrayMap.createAsIfByAssoc(
            new Object[] {TIME_LIMIT, knossosLimitMillis(context, start)}));
      } else {
        answer = analysis.invoke(knossosModel, h);
      }
      if (Thread.currentThread().isInterrupted()) throw new CancellationException();
      IPersistentMap map = answer instanceof IPersistentMap m ? m
          : PersistentHashMap.create(VALID, UNKNOWN, CAUSE, "Knossos answered " + ClojureData.printed(answer));
      verdicts.add(new Verdict(part.getKey(), h.count(), map));
    }
    return verdicts;
  }

  /**
   * The time limit given to Knossos: what is left of the timeout, less a margin, so that Knossos
   * gives up and stops its own search threads before this checker stops waiting for it.
   */
  private static long knossosLimitMillis(CheckContext context, long start) {
    long remaining = TimeUnit.NANOSECONDS.toMillis(remainingNanos(context, start));
    long margin = Math.min(1000, Math.max(remaining / 10, 1));
    return Math.max(1, remaining - margin);
  }

  private boolean isMultiRegister() {
    return model.equals("multi-register");
  }

  private Object buildModel() {
    Var ctor = KnossosRuntime.find(KnossosRuntime.MODEL, model);
    if (ctor == null) {
      throw new KnossosUnavailableException(
          "this Knossos has no model knossos.model/" + model + "; use a newer Knossos uberjar");
    }
    IFn f = ctor;
    return switch (model) {
      case "register", "cas-register" -> init == null ? f.invoke() : f.invoke(ClojureData.toClojure(init));
      case "multi-register" -> f.invoke(ClojureData.toClojure(init == null ? Map.of() : init));
      default -> f.invoke();
    };
  }

  /**
   * Client records grouped by the key of their operation, in history order; one group under the
   * null key when no operation has a key. Failed operations are dropped here, as Knossos would drop
   * them, because Knossos asserts that a failure carries its invocation's value, which a Faultline
   * history need not do.
   */
  private static Map<Object, List<Op>> partition(History history) {
    Map<Long, Object> keyOfRecord = new HashMap<>();
    Set<Long> failed = new HashSet<>();
    boolean keyed = false;
    for (Operation op : history.operations()) {
      if (op.outcome() == Operation.Outcome.FAIL) {
        failed.add(op.invoke().index());
        failed.add(op.completion().index());
        continue;
      }
      Object key = op.key();
      if (key == null) continue;
      keyed = true;
      keyOfRecord.put(op.invoke().index(), key);
      if (op.completion() != null) keyOfRecord.put(op.completion().index(), key);
    }
    Map<Object, List<Op>> parts = new LinkedHashMap<>();
    for (Op op : history.records()) {
      if (!op.isClient() || failed.contains(op.index())) continue;
      Object key = keyed ? keyOfRecord.get(op.index()) : null;
      parts.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
    }
    if (parts.isEmpty()) parts.put(null, List.of());
    return parts;
  }

  private Result toResult(List<Verdict> verdicts, History history, long start) {
    Validity overall = Validity.TRUE;
    Verdict firstFalse = null;
    Verdict firstUnknown = null;
    int invalid = 0;
    int ops = 0;
    List<Map<String, Object>> failures = new ArrayList<>();
    for (Verdict v : verdicts) {
      ops += v.ops();
      Validity validity = validity(v.analysis().valAt(VALID));
      overall = overall.and(validity);
      if (validity == Validity.FALSE) {
        invalid++;
        if (firstFalse == null) firstFalse = v;
      } else if (validity == Validity.UNKNOWN && firstUnknown == null) {
        firstUnknown = v;
      }
      if (validity != Validity.TRUE) failures.add(failure(v, validity, history));
    }
    Map<String, Object> details = baseDetails(history, start);
    details.put("partitions", verdicts.size());
    details.put("operations", ops);
    if (!failures.isEmpty()) details.put("failures", failures);
    String summary;
    if (overall == Validity.TRUE) {
      summary = "linearizable according to Knossos (" + model + ", " + ops + " records"
          + (verdicts.size() > 1 ? ", " + verdicts.size() + " keys" : "") + ")";
    } else if (overall == Validity.FALSE) {
      summary = "not linearizable according to Knossos" + at(firstFalse)
          + (invalid > 1 ? " (and " + (invalid - 1) + " more keys)" : "") + ": "
          + describeFailure(firstFalse.analysis(), history);
    } else {
      summary = "unknown: Knossos gave up" + at(firstUnknown) + " (" + cause(firstUnknown.analysis()) + ")";
    }
    return new Result("knossos", overall, summary, details, List.of(), null);
  }

  private static String at(Verdict v) {
    return v.key() == null ? "" : " at key " + Values.show(v.key());
  }

  private Map<String, Object> baseDetails(History history, long start) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("model", model);
    details.put("semantics", "jepsen (nil read matches any value; failed operations did not happen)");
    String from = KnossosRuntime.loadedFrom();
    if (from != null) details.put("knossos", from);
    details.put("elapsed-ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return details;
  }

  private Result unknown(History history, String reason, long start) {
    Map<String, Object> details = baseDetails(history, start);
    details.put("reason", reason);
    return new Result("knossos", Validity.UNKNOWN, "unknown: " + reason, details, List.of(), null);
  }

  private static Validity validity(Object valid) {
    if (Boolean.TRUE.equals(valid)) return Validity.TRUE;
    if (Boolean.FALSE.equals(valid)) return Validity.FALSE;
    return Validity.UNKNOWN;
  }

  private static String cause(IPersistentMap analysis) {
    Object cause = analysis.valAt(CAUSE);
    Object valid = analysis.valAt(VALID);
    if (cause != null) return "cause " + show(cause);
    return UNKNOWN.equals(valid) ? "no cause given" : ":valid? " + ClojureData.printed(valid);
  }

  private Map<String, Object> failure(Verdict v, Validity validity, History history) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (v.key() != null) m.put("key", Values.show(v.key()));
    m.put("valid", validity.wireName());
    IPersistentMap a = v.analysis();
    if (a.valAt(ANALYZER) != null) m.put("analyzer", show(a.valAt(ANALYZER)));
    if (validity == Validity.UNKNOWN) {
      m.put("reason", cause(a));
      return m;
    }
    m.put("reason", describeFailure(a, history));
    if (a.valAt(OP) != null) m.put("op", ClojureData.fromClojure(a.valAt(OP)));
    if (a.valAt(PREVIOUS_OK) != null) m.put("previous-ok", ClojureData.fromClojure(a.valAt(PREVIOUS_OK)));
    Object paths = a.valAt(FINAL_PATHS);
    if (paths != null) {
      m.put("final-paths-count", RT.count(paths));
      List<String> listed = new ArrayList<>();
      for (clojure.lang.ISeq s = RT.seq(paths); s != null && listed.size() < LISTED_PATHS; s = s.next()) {
        listed.add(ClojureData.printed(s.first()));
      }
      m.put("final-paths", listed);
    }
    return m;
  }

  /** The op Knossos could not linearize, named as Faultline shows it when it can be traced back. */
  private String describeFailure(IPersistentMap analysis, History history) {
    Object op = analysis.valAt(OP);
    if (op == null) return "Knossos named no failing op";
    StringBuilder sb = new StringBuilder("cannot linearize ").append(describeOp(op, history, isMultiRegister()));
    Object previous = analysis.valAt(PREVIOUS_OK);
    if (previous != null) sb.append(" after ").append(describeOp(previous, history, isMultiRegister()));
    return sb.toString();
  }

  /**
   * Some Knossos versions renumber :index internally and do not map it back, so an index it reports
   * is trusted only when that record has the same process, type, function and value; otherwise the
   * op is shown as Knossos gave it.
   */
  private static String describeOp(Object op, History history, boolean multiRegister) {
    if (op instanceof ILookup l) {
      Object index = l.valAt(ClojureData.INDEX);
      if (index instanceof Number n && n.longValue() >= 0 && n.longValue() < history.size()) {
        Op rec = history.records().get((int) n.longValue());
        if (rec.index() == n.longValue() && sameOp(rec, l, multiRegister)) return rec.toString();
      }
      Object plain = ClojureData.fromClojure(op);
      return Values.show(plain);
    }
    return ClojureData.printed(op);
  }

  private static boolean sameOp(Op rec, ILookup l, boolean multiRegister) {
    Object type = l.valAt(ClojureData.TYPE);
    Object f = l.valAt(ClojureData.F);
    Object process = l.valAt(ClojureData.PROCESS);
    return type instanceof clojure.lang.Keyword t && t.getName().equals(rec.type().wireName())
        && f instanceof clojure.lang.Keyword fk && rec.f() != null && fk.getName().equals(Values.name(rec.f()))
        && process instanceof Number p && rec.isClient() && p.longValue() == rec.clientProcess()
        && clojure.lang.Util.equiv(ClojureData.op(rec, multiRegister).valAt(ClojureData.VALUE), l.valAt(ClojureData.VALUE));
  }

  private static String show(Object clojureValue) {
    Object plain = ClojureData.fromClojure(clojureValue);
    return plain instanceof Keyword k ? k.toString() : Values.show(plain);
  }
}
