package io.faultline.harness.bench;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.history.History;
import io.faultline.checkers.synthetic.TxnHistories;
import io.faultline.checkers.txn.TxnChecker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Times the transactional checker in-process on generated list-append histories (Elle's generator
 * defaults: 10 clients, 10 active keys, 32 appends a key, up to 4 micro-ops), strict serializable by
 * construction or with cycles planted, under strict-serializable (so with real-time edges): the whole
 * check, from the history's records to the verdict, and its peak heap.
 */
public final class TxnBench {
  private final PrintWriter out;
  private final CheckContext context;

  public TxnBench(PrintWriter out, Duration timeout) {
    this.out = out;
    this.context = CheckContext.defaults().withTimeout(timeout);
  }

  public void run(long seed, List<Integer> sizes, int planted) {
    out.printf(Locale.ROOT, "txn benchmark: %d cores, max heap %d MiB, java %s; goal: 100k under 2 s, 1M under 20 s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    // A warm-up, so the first row does not time the JIT.
    check(TxnHistories.generate(TxnHistories.Spec.listAppend(seed, 20_000)));
    for (int n : sizes) {
      long t = System.nanoTime();
      History valid = TxnHistories.generate(TxnHistories.Spec.listAppend(seed, n));
      long gen = (System.nanoTime() - t) / 1_000_000;
      row("list-append, strict serializable", n, valid, gen);
      History bad = TxnHistories.withPlantedCycles(valid, planted, seed);
      valid = null;
      row("list-append, " + planted + " cycles planted", n, bad, gen);
    }
    out.flush();
  }

  private void row(String label, int n, History h, long genMillis) {
    HeapMeter.reset();
    long before = HeapMeter.peakBytes();
    long t = System.nanoTime();
    Result r = check(h);
    long nanos = System.nanoTime() - t;
    long peak = HeapMeter.peakBytes();
    out.printf(Locale.ROOT, "%-40s %9d txns: %-7s check %8.0f ms (%.2f us/txn), %s edges, peak heap %s (history"
            + " alone %s), generated in %d ms; %s%n",
        label, n, r.validity().wireName(), nanos / 1e6, nanos / 1e3 / Math.max(1, n), r.details().get("edges"),
        HeapMeter.mib(peak), HeapMeter.mib(before), genMillis, brief(r));
    out.flush();
  }

  private static String brief(Result r) {
    Object types = r.details().get("anomaly-types");
    return "anomalies " + types;
  }

  private Result check(History h) {
    return new TxnChecker(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND)).check(context, h);
  }
}
