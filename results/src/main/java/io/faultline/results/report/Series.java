package io.faultline.results.report;

import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Latency quantiles and throughput per time bucket, over every client operation of a history.
 *
 * <p>Quantiles are of the operations that completed ok or fail in the bucket (by completion time):
 * an info's latency is only how long the client waited before giving up, which would drown the
 * system's own latency in the client timeout. Throughput counts completions per second by type.
 */
final class Series {
  /** Bucket widths people read easily; the narrowest that gives at most {@link #MAX_BUCKETS} buckets is used. */
  private static final long[] WIDTHS_MS = {100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000,
      120_000, 300_000, 600_000, 1_800_000, 3_600_000};
  static final int MAX_BUCKETS = 150;
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  private Series() {}

  static long bucketMillis(long durationNanos) {
    long ms = Math.max(1, durationNanos / 1_000_000);
    for (long w : WIDTHS_MS) if ((ms + w - 1) / w <= MAX_BUCKETS) return w;
    return WIDTHS_MS[WIDTHS_MS.length - 1];
  }

  /**
   * The columns for the two plots: {@code t} (bucket middle, seconds), {@code p50 p95 p99 max}
   * (milliseconds, null for a bucket without completions) and {@code ok fail info} (per second).
   */
  static Map<String, Object> of(List<Operation> ops, long historyEnd) {
    long widthMs = bucketMillis(historyEnd);
    long width = widthMs * 1_000_000;
    int n = (int) Math.max(1, (historyEnd + width - 1) / width);
    Histogram[] latency = new Histogram[n];
    long[][] counts = new long[3][n];
    for (Operation op : ops) {
      long end = OpTable.endNanos(op, historyEnd);
      int b = (int) Math.min(n - 1, Math.max(0, end / width));
      int type = OpTable.type(op);
      counts[type][b]++;
      if (type == OpTable.INFO) continue;
      if (latency[b] == null) latency[b] = new Histogram(HIGHEST_MICROS, 3);
      latency[b].recordValue(Math.min(HIGHEST_MICROS, OpTable.latencyMicros(op, historyEnd)));
    }
    List<Double> t = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p95 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double seconds = widthMs / 1000.0;
    for (int b = 0; b < n; b++) {
      t.add((b + 0.5) * seconds);
      Histogram h = latency[b];
      p50.add(h == null ? null : millis(h.getValueAtPercentile(50)));
      p95.add(h == null ? null : millis(h.getValueAtPercentile(95)));
      p99.add(h == null ? null : millis(h.getValueAtPercentile(99)));
      max.add(h == null ? null : millis(h.getMaxValue()));
      for (int type = 0; type < 3; type++) rates.get(type).add(Math.round(counts[type][b] / seconds * 10) / 10.0);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bucket-ms", widthMs);
    out.put("t", t);
    out.put("p50", p50);
    out.put("p95", p95);
    out.put("p99", p99);
    out.put("max", max);
    out.put("ok", rates.get(OpTable.OK));
    out.put("fail", rates.get(OpTable.FAIL));
    out.put("info", rates.get(OpTable.INFO));
    return out;
  }

  /** Whole-run quantiles of ok and fail latencies, in milliseconds, for the summary table. */
  static Map<String, Double> overall(List<Operation> ops, long historyEnd) {
    Histogram h = new Histogram(HIGHEST_MICROS, 3);
    for (Operation op : ops) {
      if (OpTable.type(op) == OpTable.INFO) continue;
      h.recordValue(Math.min(HIGHEST_MICROS, OpTable.latencyMicros(op, historyEnd)));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    if (h.getTotalCount() == 0) return out;
    out.put("p50", millis(h.getValueAtPercentile(50)));
    out.put("p95", millis(h.getValueAtPercentile(95)));
    out.put("p99", millis(h.getValueAtPercentile(99)));
    out.put("max", millis(h.getMaxValue()));
    return out;
  }

  private static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
