package io.faultline.results.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryWriter;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.LinearizabilityChecker;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Stored runs for the report's tests, laid out as the controller stores them: a register workload
 * on three nodes against a simulated register, with a partition isolating n1 (5–10 s), n2 killed
 * (12–15 s) and n3 paused from 18 s to the end, checked by the real linearizability checker.
 */
final class StoredRuns {
  static final long SECOND = 1_000_000_000L;
  static final long END = 20 * SECOND;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredRuns() {}

  /** A stored run and the analysis its check produced. */
  record Stored(Path dir, Analysis analysis, Result result) {}

  /**
   * @param staleRead whether one read late in the run returns a value nobody wrote, which no
   *     linearizable register can
   * @param odd a string put into keys and errors that HTML and script elements must survive
   */
  static Stored write(Path dir, long seed, boolean staleRead, String odd, int processes) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    record Call(long process, String f, Object key, Object value, String node, long start, long end) {}
    List<Call> calls = new ArrayList<>();
    String[] nodes = {"n1", "n2", "n3"};
    String[] keys = {"k1", "k2", odd};
    for (long p = 0; p < processes; p++) {
      long t = random.nextInt(50_000_000);
      long id = p;
      while (t < END - 300_000_000L) {
        long latency = 1_000_000L + random.nextInt(20_000_000);
        String f = random.nextInt(3) == 0 ? "write" : "read";
        String node = nodes[random.nextInt(3)];
        calls.add(new Call(id, f, keys[random.nextInt(keys.length)], f.equals("write") ? random.nextInt(5) : null,
            node, t, t + latency));
        // An info retires the process, as the interpreter does.
        if (node.equals("n3") && t >= 18 * SECOND) id += processes;
        t += latency + random.nextInt(40_000_000);
      }
    }
    // Completions take effect at their completion instant, in time order: a linearizable register.
    record Event(long time, boolean invoke, Call call) {}
    List<Event> events = new ArrayList<>();
    for (Call c : calls) {
      events.add(new Event(c.start(), true, c));
      events.add(new Event(c.end(), false, c));
    }
    events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> e.invoke() ? 1 : 0));
    Map<Object, Object> register = new LinkedHashMap<>();
    List<Op> records = new ArrayList<>();
    boolean planted = false;
    List<Op> nemesis = List.of(
        nemesis(5 * SECOND, "start-partition", Map.of("shape", "isolated-node", "grudge",
            Map.of("n1", List.of("n2", "n3"), "n2", List.of("n1"), "n3", List.of("n1")))),
        nemesis(10 * SECOND, "stop-partition", Map.of("shape", "isolated-node")),
        nemesis(12 * SECOND, "kill", Map.of("nodes", List.of("n2"), "target", "one")),
        nemesis(15 * SECOND, "start", Map.of("nodes", List.of("n2"))),
        nemesis(18 * SECOND, "pause", Map.of("nodes", List.of("n3"), "target", "one")));
    int next = 0;
    for (Event e : events) {
      while (next < nemesis.size() && nemesis.get(next).time() <= e.time()) records.add(nemesis.get(next++));
      Call c = e.call();
      if (e.invoke()) {
        records.add(new Op(-1, e.time(), OpType.INVOKE, c.process(), c.f(), c.key(), c.value(), null, c.node(), 0));
        continue;
      }
      boolean isolated = c.node().equals("n1") && c.start() >= 5 * SECOND && c.start() < 10 * SECOND;
      boolean down = c.node().equals("n2") && c.start() >= 12 * SECOND && c.start() < 15 * SECOND;
      boolean paused = c.node().equals("n3") && c.start() >= 18 * SECOND;
      if (isolated || down) {
        records.add(new Op(-1, e.time(), OpType.FAIL, c.process(), c.f(), c.key(), c.value(),
            isolated ? "not the leader <!-- " + odd : "connection to n2 refused", c.node(), 0));
      } else if (paused) {
        records.add(new Op(-1, e.time(), OpType.INFO, c.process(), c.f(), c.key(), c.value(), "timed out", c.node(), 0));
      } else if (c.f().equals("write")) {
        register.put(c.key(), c.value());
        records.add(new Op(-1, e.time(), OpType.OK, c.process(), c.f(), c.key(), c.value(), null, c.node(), 0));
      } else {
        Object value = register.get(c.key());
        if (staleRead && !planted && e.time() > 16 * SECOND && "k1".equals(c.key())) {
          value = 99;
          planted = true;
        }
        records.add(new Op(-1, e.time(), OpType.OK, c.process(), c.f(), c.key(), value, null, c.node(), 0));
      }
    }
    while (next < nemesis.size()) records.add(nemesis.get(next++));
    List<Op> indexed = new ArrayList<>();
    for (Op op : records) indexed.add(op.withIndex(indexed.size()));
    History history = History.of(dir.resolve(Store.HISTORY).toString(), indexed);
    try (Writer w = Files.newBufferedWriter(dir.resolve(Store.HISTORY), StandardCharsets.UTF_8)) {
      HistoryWriter.writeJsonLines(history, w);
    }

    LinearizabilityChecker checker = new LinearizabilityChecker(Models.create("cas-register", null, Semantics.FAULTLINE),
        Semantics.FAULTLINE);
    Analysis analysis = checker.analyze(CheckContext.defaults(), history);
    Result result = checker.check(CheckContext.defaults(), history);
    String name = staleRead ? "sim-stale-read-register" : "sim-register";
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("name", name);
    test.put("spec", Map.of("target", "raft", "nodes", 3, "workload", "register", "seed", seed));
    test.put("seed", seed);
    test.put("began", "2026-11-24T10:00:00.123Z");
    test.put("command", List.of("faultline", "test", "--seed", String.valueOf(seed)));
    test.put("repro", "faultline repro " + dir);
    JSON.writeValue(dir.resolve(Store.TEST).toFile(), test);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("valid", result.validity().wireName());
    results.put("summary", result.summary());
    results.put("seed", seed);
    results.put("repro", "faultline repro " + dir);
    results.put("checked", true);
    results.put("check-ms", 12);
    results.put("checks", Map.of("register", result.toData()));
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), results);
    return new Stored(dir, analysis, result);
  }

  /**
   * A bank run on three nodes: four accounts of 25, one client process transferring and reading in
   * turn for 20 s, a partition from 5 to 10 s, checked by the real bank checker.
   *
   * @param partialRead whether one read in the partition sees a transfer's debit without its credit
   */
  static Stored writeBank(Path dir, long seed, boolean partialRead) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    String[] accounts = {"a0", "a1", "a2", "a3"};
    Map<String, Long> balances = new java.util.TreeMap<>();
    for (String a : accounts) balances.put(a, 25L);
    List<Op> records = new ArrayList<>();
    records.add(nemesis(5 * SECOND, "start-partition", Map.of("shape", "halves", "grudge",
        Map.of("n1", List.of("n3"), "n2", List.of("n3"), "n3", List.of("n1", "n2")))));
    boolean planted = false;
    long t = 10_000_000L;
    long process = 0;
    while (t < END - SECOND) {
      long end = t + 2_000_000L + random.nextInt(5_000_000);
      String node = "n" + (1 + random.nextInt(3));
      if (random.nextBoolean()) {
        String from = accounts[random.nextInt(4)];
        String to = accounts[random.nextInt(4)];
        long amount = 1 + random.nextInt(5);
        Map<String, Object> transfer = Map.of("from", from, "to", to, "amount", amount);
        records.add(new Op(-1, t, OpType.INVOKE, process, "transfer", null, transfer, null, node, 0));
        boolean enough = balances.get(from) >= amount && !from.equals(to);
        if (enough) {
          balances.merge(from, -amount, Long::sum);
          balances.merge(to, amount, Long::sum);
        }
        records.add(new Op(-1, end, enough ? OpType.OK : OpType.FAIL, process, "transfer", null, transfer,
            enough ? null : "insufficient funds", node, 0));
      } else {
        Map<String, Object> seen = new java.util.TreeMap<>(balances);
        if (partialRead && !planted && t > 6 * SECOND) {
          seen.put("a0", (Long) seen.get("a0") - 3); // the debit of a transfer whose credit is not seen
          planted = true;
        }
        records.add(new Op(-1, t, OpType.INVOKE, process, "read", null, null, null, node, 0));
        records.add(new Op(-1, end, OpType.OK, process, "read", null, seen, null, node, 0));
      }
      t = end + random.nextInt(40_000_000);
    }
    records.add(nemesis(10 * SECOND, "stop-partition", Map.of("shape", "halves")));
    records.sort(Comparator.comparingLong(Op::time));
    List<Op> indexed = new ArrayList<>();
    for (Op op : records) indexed.add(op.withIndex(indexed.size()));
    History history = History.of(dir.resolve(Store.HISTORY).toString(), indexed);
    try (Writer w = Files.newBufferedWriter(dir.resolve(Store.HISTORY), StandardCharsets.UTF_8)) {
      HistoryWriter.writeJsonLines(history, w);
    }
    Result result = new io.faultline.checkers.invariants.BankChecker(100).check(CheckContext.defaults(), history);
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("name", "twopc-bank");
    test.put("spec", Map.of("target", "twopc", "nodes", 3, "workload", "bank", "seed", seed));
    test.put("seed", seed);
    JSON.writeValue(dir.resolve(Store.TEST).toFile(), test);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("valid", result.validity().wireName());
    results.put("summary", result.summary());
    results.put("seed", seed);
    results.put("checked", true);
    results.put("checks", Map.of("bank", result.toData()));
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), results);
    return new Stored(dir, null, result);
  }

  /**
   * A list-append run checked by the real transactional checker (strict-serializable): at 1 s three
   * concurrent transactions make a G1c on x and y, at 3 s three more a G-single on {@code odd} and
   * y2, and from 5 s twenty transactions append to and read one key, one after another.
   */
  static Stored writeTxn(Path dir, String odd) throws IOException {
    Files.createDirectories(dir);
    List<Op> records = new ArrayList<>();
    List<List<List<Object>>> g1c = List.of(
        List.of(mop("append", "x", 1), mop("r", "y", List.of(1))),
        List.of(mop("append", "x", 2), mop("append", "y", 1)),
        List.of(mop("r", "x", List.of(1, 2))));
    List<List<List<Object>>> gSingle = List.of(
        List.of(mop("r", odd, List.of()), mop("r", "y2", List.of(1))),
        List.of(mop("append", odd, 1), mop("append", "y2", 1)),
        List.of(mop("r", odd, List.of(1))));
    long[] at = {SECOND, 3 * SECOND};
    int round = 0;
    for (List<List<List<Object>>> txns : List.of(g1c, gSingle)) {
      for (int p = 0; p < txns.size(); p++) {
        long start = at[round] + p * 10_000_000L;
        txn(records, p, start, start + 400_000_000L, "n" + (p + 1), txns.get(p));
      }
      round++;
    }
    List<Object> seen = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      seen.add(i + 1);
      long start = 5 * SECOND + i * 200_000_000L;
      txn(records, i % 3, start, start + 50_000_000L, "n1",
          List.of(mop("append", "f", i + 1), mop("r", "f", new ArrayList<>(seen))));
    }
    records.sort(Comparator.comparingLong(Op::time));
    List<Op> indexed = new ArrayList<>();
    for (Op op : records) indexed.add(op.withIndex(indexed.size()));
    History history = History.of(dir.resolve(Store.HISTORY).toString(), indexed);
    try (Writer w = Files.newBufferedWriter(dir.resolve(Store.HISTORY), StandardCharsets.UTF_8)) {
      HistoryWriter.writeJsonLines(history, w);
    }
    Result result = new io.faultline.checkers.txn.TxnChecker(io.faultline.checkers.txn.TxnChecker.Options.of(
        io.faultline.checkers.txn.TxnChecker.Workload.LIST_APPEND)).check(CheckContext.defaults(), history);
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("name", "raft-list-append");
    test.put("spec", Map.of("target", "raft", "nodes", 3, "workload", "list-append", "seed", 1));
    test.put("seed", 1);
    JSON.writeValue(dir.resolve(Store.TEST).toFile(), test);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("valid", result.validity().wireName());
    results.put("summary", result.summary());
    results.put("seed", 1);
    results.put("checked", true);
    results.put("checks", Map.of("list-append", result.toData()));
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), results);
    return new Stored(dir, null, result);
  }

  private static List<Object> mop(String f, Object key, Object value) {
    List<Object> m = new ArrayList<>();
    m.add(f);
    m.add(key);
    m.add(value);
    return m;
  }

  /** An invocation, its reads unknown, and its ok completion with what they saw. */
  private static void txn(List<Op> records, long process, long start, long end, String node, List<List<Object>> mops) {
    List<Object> invoked = new ArrayList<>();
    for (List<Object> m : mops) invoked.add(m.get(0).equals("r") ? mop("r", m.get(1), null) : m);
    records.add(new Op(-1, start, OpType.INVOKE, process, "txn", null, invoked, null, node, 0));
    records.add(new Op(-1, end, OpType.OK, process, "txn", null, new ArrayList<>(mops), null, node, 0));
  }

  /** A run whose cluster never came up: no history, a results.json that says so. */
  static Path notRun(Path dir, String error) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Store.TEST), "{\"name\":\"raft-register\",\"seed\":3}");
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("valid", "unknown");
    results.put("summary", "not run: " + error);
    results.put("seed", 3);
    results.put("checked", false);
    results.put("errors", List.of(error));
    JSON.writeValue(dir.resolve(Store.RESULTS).toFile(), results);
    return dir;
  }

  private static Op nemesis(long time, String f, Object value) {
    return new Op(-1, time, OpType.INFO, Op.NEMESIS, f, null, value, null, null, 0);
  }
}
