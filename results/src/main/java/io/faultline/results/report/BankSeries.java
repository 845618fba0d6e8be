package io.faultline.results.report;

import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The bank plots' columns: for every ok {@code read} whose value maps accounts to balances, the
 * total it saw and each balance, at the read's completion. A read's snapshot lies somewhere between
 * its call and its completion; the completion is where it is drawn because that is when the
 * client knew it. A read with a missing or non-numeric balance counts as no total (a gap), which the
 * bank checker reports as its own kind.
 */
final class BankSeries {
  /** More reads than this are drawn at an even stride; the bad ones are always kept. */
  static final int MAX_READS = 5_000;

  private BankSeries() {}

  /**
   * {@code t} (seconds), {@code total}, {@code accounts} (sorted), {@code balances} (one column per
   * account), {@code expected} (the checker's expected total, or null) and {@code bad} (1 where the
   * total differs from the expected one or a balance is negative, else null); null when the history
   * has no bank read at all, so that other workloads' reports have no bank section.
   */
  static Map<String, Object> of(List<Operation> ops, Object expectedTotal) {
    Long expected = expectedTotal instanceof Number n ? n.longValue() : null;
    List<Read> reads = new ArrayList<>();
    TreeSet<String> accounts = new TreeSet<>(Comparator.comparingInt(String::length).thenComparing(s -> s));
    for (Operation op : ops) {
      if (!"read".equals(op.f()) || op.outcome() != Operation.Outcome.OK) continue;
      if (!(op.value() instanceof Map<?, ?> m) || m.isEmpty()) continue;
      Map<String, Long> balances = new LinkedHashMap<>();
      boolean whole = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String account = String.valueOf(e.getKey());
        accounts.add(account);
        if (e.getValue() instanceof Number n) {
          balances.put(account, n.longValue());
        } else {
          whole = false;
        }
      }
      Long total = null;
      if (whole) {
        long sum = 0;
        for (long b : balances.values()) sum += b;
        total = sum;
      }
      boolean negative = balances.values().stream().anyMatch(b -> b < 0);
      boolean bad = negative || total == null || (expected != null && !expected.equals(total));
      reads.add(new Read(op.completion().time(), total, balances, bad));
    }
    if (reads.isEmpty()) return null;
    reads.sort(Comparator.comparingLong(Read::timeNanos));
    List<Read> drawn = sample(reads);

    List<Double> t = new ArrayList<>();
    List<Long> totals = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    List<List<Long>> balances = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) balances.add(new ArrayList<>());
    for (Read r : drawn) {
      t.add(r.timeNanos() / 1e9);
      totals.add(r.total());
      bad.add(r.bad() ? 1 : null);
      int k = 0;
      for (String a : accounts) balances.get(k++).add(r.balances().get(a));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("t", t);
    out.put("total", totals);
    out.put("bad", bad);
    out.put("expected", expected);
    out.put("accounts", new ArrayList<>(accounts));
    out.put("balances", balances);
    out.put("reads", reads.size());
    out.put("drawn", drawn.size());
    return out;
  }

  private static List<Read> sample(List<Read> reads) {
    if (reads.size() <= MAX_READS) return reads;
    long badCount = reads.stream().filter(Read::bad).count();
    int room = (int) Math.max(1, MAX_READS - Math.min(badCount, MAX_READS / 2));
    double stride = (double) reads.size() / room;
    List<Read> out = new ArrayList<>();
    double next = 0;
    int keptBad = 0;
    for (int i = 0; i < reads.size(); i++) {
      Read r = reads.get(i);
      boolean onStride = i >= next;
      if (onStride) next += stride;
      if (onStride || (r.bad() && keptBad < MAX_READS / 2)) {
        out.add(r);
        if (r.bad()) keptBad++;
      }
    }
    return out;
  }

  private record Read(long timeNanos, Long total, Map<String, Long> balances, boolean bad) {}
}
