package io.faultline.harness.bench;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.Counterexample;
import io.faultline.checkers.linear.LinearizabilityChecker;
import io.faultline.checkers.linear.PartitionVerdict;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Semantics;
import io.faultline.checkers.synthetic.RegisterHistories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the linearizability checker in-process: over the shared real histories (per file and in
 * total, after a warm-up pass) and over generated large histories (time and peak heap), with the
 * reference figures beside them.
 */
public final class CheckerBench {
  private final PrintWriter out;
  private final CheckContext context;

  public CheckerBench(PrintWriter out, Duration timeout) {
    this.out = out;
    this.context = CheckContext.defaults().withTimeout(timeout);
  }

  private record Loaded(SharedManifest.Row row, History history, Model model, Semantics semantics) {}

  /** The shared histories: one cold pass, then {@code rounds} timed passes. */
  public void shared(Path dir, int rounds, boolean perFile) throws IOException {
    SharedManifest manifest = SharedManifest.read(dir);
    List<Loaded> loaded = new ArrayList<>();
    long readStart = System.nanoTime();
    for (SharedManifest.Row row : manifest.rows()) {
      HistoryFormat format = switch (row.format()) {
        case "porcupine-jepsen-log" -> HistoryFormat.JEPSEN_LOG;
        case "porcupine-kv" -> HistoryFormat.PORCUPINE_KV;
        default -> HistoryFormat.EDN;
      };
      History h = HistoryReader.read(row.file(), format);
      Semantics s = format.defaultSemantics();
      loaded.add(new Loaded(row, h, row.model(s), s));
    }
    out.printf(Locale.ROOT, "shared histories: %d files from %s, read in %d ms%n", loaded.size(), dir,
        (System.nanoTime() - readStart) / 1_000_000);

    long[][] nanos = new long[loaded.size()][rounds + 1];
    Validity[] verdicts = new Validity[loaded.size()];
    for (int round = 0; round <= rounds; round++) {
      for (int i = 0; i < loaded.size(); i++) {
        Loaded l = loaded.get(i);
        long t = System.nanoTime();
        Analysis a = new LinearizabilityChecker(l.model(), l.semantics()).withShrinkBudget(Duration.ZERO)
            .analyze(context, l.history());
        nanos[i][round] = System.nanoTime() - t;
        verdicts[i] = a.validity();
      }
    }
    Map<String, long[]> groups = new LinkedHashMap<>();
    int wrong = 0;
    long slowest = 0;
    String slowestFile = "";
    for (int i = 0; i < loaded.size(); i++) {
      Loaded l = loaded.get(i);
      long median = median(Arrays.copyOfRange(nanos[i], 1, rounds + 1));
      boolean right = verdicts[i] == (l.row().expected() ? Validity.TRUE : Validity.FALSE);
      if (!right) wrong++;
      if (median > slowest) {
        slowest = median;
        slowestFile = l.row().path();
      }
      String group = groupOf(l.row());
      long[] g = groups.computeIfAbsent(group, k -> new long[3]);
      g[0]++;
      g[1] += nanos[i][0];
      g[2] += median;
      if (perFile) {
        out.printf(Locale.ROOT, "  %-62s %5d ops  %-7s %s %8.2f ms%n", l.row().path(), l.row().ops(),
            verdicts[i].wireName(), right ? "(expected)" : "(WRONG)   ", median / 1e6);
      }
    }
    out.printf(Locale.ROOT, "%-34s %6s %12s %14s%n", "group", "files", "cold ms", "warm ms (median)");
    long coldTotal = 0;
    long warmTotal = 0;
    for (Map.Entry<String, long[]> e : groups.entrySet()) {
      long[] g = e.getValue();
      coldTotal += g[1];
      warmTotal += g[2];
      out.printf(Locale.ROOT, "%-34s %6d %12.1f %14.1f%n", e.getKey(), g[0], g[1] / 1e6, g[2] / 1e6);
    }
    out.printf(Locale.ROOT, "%-34s %6d %12.1f %14.1f%n", "all", loaded.size(), coldTotal / 1e6, warmTotal / 1e6);
    out.printf(Locale.ROOT, "slowest file (warm): %s %.2f ms; verdicts differing from the manifest: %d%n",
        slowestFile, slowest / 1e6, wrong);
    out.println("reference (shared/histories/README.md): Porcupine 372 ms for all 102 upstream etcd logs"
        + " (76 of them are here), slowest 136 ms; Knossos 117 s with 3 unknown.");
    out.flush();
  }

  private static String groupOf(SharedManifest.Row row) {
    if (row.format().equals("porcupine-jepsen-log")) return "etcd logs (jepsen-log)";
    if (row.path().startsWith("derived/")) return "etcd as EDN (derived)";
    if (row.format().equals("porcupine-kv")) return "porcupine kv";
    return "knossos EDN";
  }

  /** One generated history: how long generation and the check took, and the check's peak heap. */
  public void generated(String label, RegisterHistories.Spec spec) {
    generated(label, spec, false);
  }

  /**
   * One generated history, or the same with one read corrupted (so that it must be refuted): how long
   * generation and the check took, the check's peak heap and the heap per operation.
   */
  public void generated(String label, RegisterHistories.Spec spec, boolean corrupt) {
    long t = System.nanoTime();
    History h = RegisterHistories.generate(spec);
    if (corrupt) h = RegisterHistories.corruptOneRead(h, spec.seed());
    long genMillis = (System.nanoTime() - t) / 1_000_000;
    Semantics s = Semantics.FAULTLINE;
    Model model = io.faultline.checkers.model.Models.create(spec.workload().model(), null, s);
    HeapMeter.reset();
    long before = HeapMeter.peakBytes();
    t = System.nanoTime();
    Analysis a = new LinearizabilityChecker(model, s).withShrinkBudget(Duration.ZERO).analyze(context, h);
    long checkNanos = System.nanoTime() - t;
    long peak = HeapMeter.peakBytes();
    long configurations = a.partitions().stream().mapToLong(PartitionVerdict::configurations).sum();
    out.printf(Locale.ROOT,
        "%-44s %9d ops %5d keys %3d clients %4.1f%% info%s: %-7s check %8.0f ms (%.2f us/op), %d configurations,"
            + " peak heap %s (history alone %s, search %d bytes/op), generated in %d ms%n",
        label, h.operations().size(), spec.keys(), spec.clients(), spec.infoRate() * 100, corrupt ? ", corrupted" : "",
        a.validity().wireName(), checkNanos / 1e6, checkNanos / 1e3 / Math.max(1, h.operations().size()),
        configurations, HeapMeter.mib(peak), HeapMeter.mib(before),
        Math.max(0, peak - before) / Math.max(1, h.operations().size()), genMillis);
    if (h.operations().size() >= 1_000_000) {
      // Again, for the live heap alone: the peak above counts garbage the collector had not reached.
      System.gc();
      long history = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      History checked = h;
      long live = HeapMeter.sampleLive(() -> new LinearizabilityChecker(model, s).withShrinkBudget(Duration.ZERO)
          .analyze(context, checked), 250);
      out.printf(Locale.ROOT, "  live heap (sampled after a collection every 250 ms, in a second run): %s, of which"
          + " the history %s; search %d bytes/op%n", HeapMeter.mib(live), HeapMeter.mib(history),
          Math.max(0, live - history) / Math.max(1, h.operations().size()));
    }
    if (a.validity() != Validity.TRUE) {
      String reason = a.partitions().get(0).reason();
      out.println("  " + (reason.length() > 160 ? reason.substring(0, 160) + "…" : reason));
    }
    if (a.validity() == Validity.FALSE) {
      // The shrink to the smallest core, timed on its own: what counterexample.html adds.
      t = System.nanoTime();
      Analysis shrunk = new LinearizabilityChecker(model, s).analyze(context, h);
      long totalNanos = System.nanoTime() - t;
      Counterexample.Core core = shrunk.counterexamples().isEmpty() ? null : shrunk.counterexamples().get(0).core();
      if (core != null) {
        out.printf(Locale.ROOT, "  smallest core: %d of %d operations (%s, %d checks), check and shrink %.0f ms%n",
            core.kept().size(), h.operations().size(), core.minimal() ? "minimal" : "not minimal: the 5 s budget ran out",
            core.checks(), totalNanos / 1e6);
      }
    }
    out.flush();
  }

  private static long median(long[] xs) {
    long[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
