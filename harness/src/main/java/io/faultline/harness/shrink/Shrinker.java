package io.faultline.harness.shrink;

import io.faultline.checkers.Validity;
import io.faultline.harness.Registries;
import io.faultline.harness.run.Preflight;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Runtime;
import io.faultline.nemesis.Grudges;
import io.faultline.nemesis.NemesisSchedule;
import io.faultline.nemesis.Pace;
import io.faultline.results.store.Store;
import io.faultline.targets.sim.Seeds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The smallest failing run of a failing simulated run: fewer faults, shorter fault windows, a
 * shorter run (so fewer operations), fewer workers, fewer nodes, as long as the run still fails
 * the same check (the workload's checker, liveness, or the nodes' own errors). No anchor has this
 * for a whole cluster; it works because a simulated run is a function of its spec, so every
 * candidate is a spec, run once, and its verdict is the same on every machine.
 *
 * <p>The search is greedy, in rounds, each trying the biggest cuts first: drop fault windows (all
 * of them, then halves, quarters, down to one at a time, as delta debugging does), then a shorter
 * time limit (by bisection), fewer workers and nodes, then each window cut to half its length. A
 * candidate that still fails becomes the new run; the rounds end when one changes nothing or the
 * budget is spent. The order of candidates depends only on what earlier candidates gave, so with
 * the same budget of runs the same run shrinks to the same result anywhere; a wall-clock budget
 * bounds it too, and says so when it was what stopped it.
 */
public final class Shrinker {
  /** What a run's size is measured in for people: fault windows, client operations, nodes, workers. */
  public record Size(int faults, long operations, int nodes, int concurrency, Duration timeLimit) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d fault%s / %,d ops", faults, faults == 1 ? "" : "s", operations);
    }
  }

  /**
   * What a shrink found.
   *
   * @param spec the smallest failing spec
   * @param result its run, stored
   * @param from the original run's size
   * @param to the smallest failing run's size
   * @param runs candidate runs made
   * @param stoppedBy null when no cut helped any more, else what budget ended the search
   */
  public record Outcome(TestSpec spec, RunResult result, Size from, Size to, int runs, String stoppedBy) {
    /** The line a shrink ends with: {@code from 34 faults / 2,113 ops to 2 faults / 180 ops}. */
    public String line() {
      return "from " + from + " to " + to + " (" + runs + " runs" + (stoppedBy == null ? "" : ", " + stoppedBy) + ")";
    }
  }

  private final Store store;
  private final int maxRuns;
  private final Duration wallBudget;
  private final PrintWriter progress;
  private Path scratch;
  private int runs;
  private long deadline;
  private String stoppedBy;

  /**
   * @param store where the smallest failing run is stored, beside the original
   * @param maxRuns the candidate runs the search may make: the budget that keeps it deterministic
   * @param wallBudget wall time the search may take, whatever the runs
   * @param progress one line per accepted cut; may be null
   */
  public Shrinker(Store store, int maxRuns, Duration wallBudget, PrintWriter progress) {
    this.store = store;
    this.maxRuns = maxRuns;
    this.wallBudget = wallBudget;
    this.progress = progress;
  }

  /**
   * Shrinks the failing run of {@code original}.
   *
   * @throws IllegalArgumentException when the run is not simulated, or does not fail when run again
   */
  public Outcome shrink(TestSpec original) throws IOException {
    Runtime runtime = Registries.RUNTIMES.get(original.runtime());
    if (!runtime.deterministic()) {
      throw new IllegalArgumentException("shrink needs a simulated run (--runtime sim): a run on --runtime "
          + original.runtime() + " is not a function of its spec; rerun it with --runtime sim and shrink that");
    }
    Preflight.check(original);
    scratch = Files.createTempDirectory("faultline-shrink-");
    deadline = System.nanoTime() + wallBudget.toNanos();
    try {
      TestSpec explicit = explicit(original);
      RunResult first = run(explicit);
      if (first.validity() != Validity.FALSE) {
        throw new IllegalArgumentException("the run does not fail when run again (" + first.validity().wireName() + ": "
            + first.summary() + "); nothing to shrink");
      }
      Set<String> failing = Set.copyOf(first.failed());
      Size from = size(explicit, first);
      say("shrinking seed " + original.seed() + ": " + from + ", failing " + String.join(", ", failing));
      Search search = new Search(explicit, first, failing);
      search.shrink();
      RunResult stored = new Runner(search.best, store, null, List.of("faultline", "shrink"), Runner.Keep.ALWAYS, 1)
          .storedAs("seed-" + original.seed() + "-shrunk").run();
      Outcome outcome = new Outcome(search.best, stored, from, size(search.best, stored), runs, stoppedBy);
      note(stored.dir(), outcome);
      return outcome;
    } finally {
      deleteTree(scratch);
    }
  }

  /** {@code spec} with its nemesis schedule given step by step: the very schedule the runner would draw. */
  static TestSpec explicit(TestSpec spec) throws IOException {
    if (spec.schedule() != null) return spec;
    return spec.withSchedule(drawn(spec, Registries.RUNTIMES.get(spec.runtime())));
  }

  /** The schedule the runner would draw for {@code spec}: the same call, at the runtime's pace. */
  private static List<Map<String, Object>> drawn(TestSpec spec, Runtime runtime) throws IOException {
    Path work = Files.createTempDirectory("faultline-shrink-pace-");
    Pace pace;
    try (Cluster cluster = runtime.deploy(Registries.TARGETS.get(spec.target()), spec, work, null, line -> {})) {
      pace = cluster.fabric().pace();
    } finally {
      deleteTree(work);
    }
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Map<String, Object> step : NemesisSchedule.draw(spec.nemesis(), nodes(spec.nodes()), spec.nemesisInterval(),
        spec.timeLimit(), Seeds.derive(spec.seed(), "nemesis", 0), pace).describe()) {
      steps.add(new LinkedHashMap<>(step));
    }
    return steps;
  }

  /** The greedy search over one run's spec. */
  private final class Search {
    TestSpec best;
    RunResult bestResult;
    final Set<String> failing;

    Search(TestSpec spec, RunResult result, Set<String> failing) {
      this.best = spec;
      this.bestResult = result;
      this.failing = failing;
    }

    void shrink() {
      boolean changed = true;
      while (changed && within()) {
        changed = dropWindows();
        changed |= earlier();
        changed |= shortenRun();
        changed |= fewerWorkers();
        changed |= fewerNodes();
        changed |= shortenWindows();
      }
    }

    /** Delta debugging over fault windows: all, then halves, quarters, ..., then one at a time. */
    boolean dropWindows() {
      boolean changed = false;
      int chunks = 1;
      while (within()) {
        List<Window> windows = Window.of(best.schedule());
        if (windows.isEmpty()) return changed;
        chunks = Math.min(chunks, windows.size());
        int size = (windows.size() + chunks - 1) / chunks;
        boolean cut = false;
        for (int from = 0; from < windows.size() && within(); from += size) {
          List<Window> drop = windows.subList(from, Math.min(windows.size(), from + size));
          if (accept(best.withSchedule(Window.without(best.schedule(), drop)), "without " + drop.size() + " of "
              + windows.size() + " fault windows")) {
            cut = changed = true;
            break;
          }
        }
        if (cut) continue; // the same chunk count over the smaller schedule
        if (size == 1) return changed;
        chunks *= 2;
      }
      return changed;
    }

    /** The faults brought forward, halving the quiet time before the first, so that a shorter run keeps them. */
    boolean earlier() {
      boolean changed = false;
      while (within()) {
        List<Window> windows = Window.of(best.schedule());
        if (windows.isEmpty()) return changed;
        long first = windows.get(0).startMillis();
        long by = first / 2;
        if (by < 100) return changed;
        if (!accept(best.withSchedule(Window.shifted(best.schedule(), -by)), "faults " + by + " ms earlier")) return changed;
        changed = true;
      }
      return changed;
    }

    /** The shortest time limit, by bisection in whole tenths of a second, that still fails. */
    boolean shortenRun() {
      long hi = best.timeLimit().toMillis();
      long lo = 100;
      boolean changed = false;
      while (hi - lo > 100 && within()) {
        long mid = (lo + hi) / 200 * 100;
        if (mid <= lo || mid >= hi) break;
        TestSpec candidate = best.resized(best.nodes(), best.concurrency(), Duration.ofMillis(mid))
            .withSchedule(Window.before(best.schedule(), mid));
        if (accept(candidate, "a time limit of " + mid + " ms")) {
          hi = mid;
          changed = true;
        } else {
          lo = mid;
        }
      }
      return changed;
    }

    boolean fewerWorkers() {
      boolean changed = false;
      while (best.concurrency() > 1 && within()
          && accept(best.resized(best.nodes(), best.concurrency() - 1, best.timeLimit()), (best.concurrency() - 1) + (best.concurrency() == 2 ? " worker" : " workers"))) {
        changed = true;
      }
      return changed;
    }

    boolean fewerNodes() {
      boolean changed = false;
      while (best.nodes() > 1 && within()) {
        int n = best.nodes() - 1;
        TestSpec candidate = best.resized(n, best.concurrency(), best.timeLimit())
            .withSchedule(Window.onNodes(best.schedule(), nodes(n)));
        if (!accept(candidate, n + " nodes")) break;
        changed = true;
      }
      return changed;
    }

    /** Each window, in turn, cut to half its length while that still fails. */
    boolean shortenWindows() {
      boolean changed = false;
      for (int i = 0; within(); i++) {
        List<Window> windows = Window.of(best.schedule());
        if (i >= windows.size()) break;
        Window w = windows.get(i);
        if (w.lengthMillis() < 20) continue;
        if (accept(best.withSchedule(Window.halved(best.schedule(), w)), "a " + w.kind() + " window of "
            + w.lengthMillis() / 2 + " ms")) {
          changed = true;
          i--;
        }
      }
      return changed;
    }

    /** Runs {@code candidate}; keeps it if it fails one of the same checks. */
    boolean accept(TestSpec candidate, String what) {
      if (!within()) return false;
      try {
        Preflight.check(candidate);
      } catch (IllegalArgumentException e) {
        return false;
      }
      RunResult r = Shrinker.this.run(candidate);
      boolean sameFailure = r.validity() == Validity.FALSE && !Collections.disjoint(r.failed(), failing);
      if (sameFailure) {
        best = candidate;
        bestResult = r;
        say("  " + what + ": still fails, " + size(best, r));
      }
      return sameFailure;
    }
  }

  private boolean within() {
    if (runs >= maxRuns) {
      stoppedBy = "the budget of " + maxRuns + " runs is spent";
      return false;
    }
    if (System.nanoTime() > deadline) {
      stoppedBy = "the wall-clock budget of " + wallBudget.toSeconds() + " s is spent";
      return false;
    }
    return true;
  }

  private RunResult run(TestSpec spec) {
    runs++;
    try {
      return new Runner(spec, new Store(scratch), null, List.of("faultline", "shrink"), Runner.Keep.UNLESS_VALID, 1)
          .storedAs("candidate").run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Size size(TestSpec spec, RunResult r) {
    return new Size(Window.of(spec.schedule()).size(), r.operations(), spec.nodes(), spec.concurrency(), spec.timeLimit());
  }

  static List<String> nodes(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add("n" + i);
    return out;
  }

  private void say(String line) {
    if (progress == null) return;
    progress.println(line);
    progress.flush();
  }

  /** Writes what the shrink found into the stored run's results.json, beside the verdict. */
  private static void note(Path dir, Outcome outcome) throws IOException {
    Path results = dir.resolve(Store.RESULTS);
    var json = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = json.readValue(results.toFile(), LinkedHashMap.class);
    Map<String, Object> shrunk = new LinkedHashMap<>();
    shrunk.put("line", outcome.line());
    shrunk.put("from-faults", outcome.from().faults());
    shrunk.put("from-operations", outcome.from().operations());
    shrunk.put("to-faults", outcome.to().faults());
    shrunk.put("to-operations", outcome.to().operations());
    shrunk.put("nodes", outcome.to().nodes());
    shrunk.put("concurrency", outcome.to().concurrency());
    shrunk.put("runs", outcome.runs());
    doc.put("shrunk", shrunk);
    json.writeValue(results.toFile(), doc);
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the shrink for
    }
  }

  /** Shapes a cluster of {@code n} nodes can take; a partition of another shape is dropped when nodes are. */
  static boolean shapeFits(String shape, int n) {
    return Grudges.shapesFor(n).contains(shape);
  }
}
