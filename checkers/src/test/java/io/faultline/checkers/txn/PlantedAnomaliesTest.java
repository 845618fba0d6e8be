package io.faultline.checkers.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Edn;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.synthetic.TxnHistories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random strict serializable histories must pass; the same histories with one anomaly planted (on
 * keys and processes of its own) must fail, naming that anomaly, and no stronger or other class
 * (a cycle is one class exactly; an anomaly outside cycles is reported with only what it must bring
 * along, such as the aborted read a dirty update is built on).
 */
class PlantedAnomaliesTest {
  private static final CheckContext CONTEXT = CheckContext.defaults();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void strictSerializableListAppendHistoriesPass(long seed) {
    History h = TxnHistories.generate(new TxnHistories.Spec(seed, 2_000, 1 + (int) seed, 3 + (int) seed, 8, 4, false));
    Result r = check(TxnChecker.Workload.LIST_APPEND, "strict-serializable", h);
    assertEquals(Validity.TRUE, r.validity(), r.summary());
    assertTrue((Integer) r.details().get("edges") > 0, "dependencies were inferred");
    assertTrue(((List<?>) r.details().get("satisfies")).contains("strict-serializable"));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void strictSerializableRegisterHistoriesPass(long seed) {
    History h = TxnHistories.generate(new TxnHistories.Spec(seed, 2_000, 5, 4, 8, 4, true));
    Result r = check(TxnChecker.Workload.RW_REGISTER, "strict-serializable", h);
    assertEquals(Validity.TRUE, r.validity(), r.summary());
  }

  /** A planted anomaly: the class, the model that forbids it, its transactions, and what it brings along. */
  record Plant(String anomaly, String model, List<String> steps, Set<String> alongWith) {
    @Override
    public String toString() {
      return anomaly;
    }
  }

  private static Plant plant(String anomaly, String model, Set<String> along, String... steps) {
    return new Plant(anomaly, model, List.of(steps), along);
  }

  static Stream<Arguments> plants() {
    String ss = "strict-serializable";
    String session = "strong-session-serializable";
    return Stream.of(
        plant("G0", ss, Set.of(),
            "1000 ok [[:append :a 1] [:append :b 1]]", "1001 ok [[:append :a 2] [:append :b 2]]",
            "1002 ok [[:r :a [1 2]] [:r :b [2 1]]]"),
        plant("G1c", ss, Set.of(), "1000 ok [[:append :a 1] [:r :b [1]]]", "1001 ok [[:append :b 1] [:r :a [1]]]"),
        plant("G-single-item", ss, Set.of(), "1000 ok [[:append :a 1] [:append :b 1]]",
            "1001 ok [[:append :a 2] [:r :b nil]]", "1002 ok [[:r :a [1 2]]]"),
        plant("G-nonadjacent-item", ss, Set.of(), "1000 ok [[:append :a 1]]", "1001 ok [[:r :a [1]] [:r :b nil]]",
            "1002 ok [[:append :b 1]]", "1003 ok [[:r :b [1]] [:r :a nil]]"),
        plant("G2-item", ss, Set.of(), "1000 ok [[:append :a 1] [:r :b nil]]", "1001 ok [[:append :b 1] [:r :a nil]]"),
        // Process variants: one process's two transactions close the cycle.
        plant("G0-process", session, Set.of(), "1000 ok [[:append :a 2]]", "1000 ok [[:append :a 1]]",
            "1001 ok [[:r :a [1 2]]]"),
        plant("G1c-process", session, Set.of(), "1000 ok [[:r :a [1]]]", "1000 ok [[:append :a 1]]"),
        plant("G-single-item-process", session, Set.of(), "1000 ok [[:append :a 1]]", "1001 ok [[:append :a 2]]",
            "1001 ok [[:r :a [1]]]", "1002 ok [[:r :a [1 2]]]"),
        plant("G-nonadjacent-item-process", session, Set.of(), "1000 ok [[:r :a nil] [:r :b [1]]]",
            "1001 ok [[:append :a 1]]", "1001 ok [[:r :b nil]]", "1002 ok [[:append :b 1]]"),
        plant("G2-item-process", session, Set.of(), "1000 ok [[:append :b 1]]", "1000 ok [[:r :a nil]]",
            "1001 ok [[:append :a 1] [:r :b nil]]"),
        // Real-time variants: the same shapes, each transaction on a process of its own, one after another.
        plant("G0-realtime", ss, Set.of(), "1000 call [[:append :a 2]]", "1001 call [[:append :a 1]]",
            "1002 call [[:r :a [1 2]]]"),
        plant("G1c-realtime", ss, Set.of(), "1000 call [[:r :a [1]]]", "1001 call [[:append :a 1]]"),
        plant("G-single-item-realtime", ss, Set.of(), "1000 call [[:append :a 1]]", "1001 call [[:append :a 2]]",
            "1002 call [[:r :a [1]]]", "1003 call [[:r :a [1 2]]]"),
        // Here the others overlap, so that one real-time edge alone closes the cycle.
        plant("G-nonadjacent-item-realtime", ss, Set.of(), "1000 invoke [[:r :a nil] [:r :b [1]]]",
            "1003 invoke [[:append :b 1]]", "1001 call [[:append :a 1]]", "1002 call [[:r :b nil]]",
            "1003 ok [[:append :b 1]]", "1000 ok [[:r :a nil] [:r :b [1]]]"),
        plant("G2-item-realtime", ss, Set.of(), "1002 invoke [[:append :a 1] [:r :b nil]]",
            "1000 call [[:append :b 1]]", "1001 call [[:r :a nil]]", "1002 ok [[:append :a 1] [:r :b nil]]"),
        // Outside cycles.
        plant("G1a", ss, Set.of(), "1000 fail [[:append :a 1]]", "1001 ok [[:r :a [1]]]"),
        // Reading the intermediate [1] of T1's [1 2] also misses T1's 2 after T1's 1: a G-single too, as in Elle.
        plant("G1b", ss, Set.of("G-single-item"), "1000 ok [[:append :a 1] [:append :a 2]]", "1001 ok [[:r :a [1]]]"),
        plant("internal", ss, Set.of(), "1000 ok [[:r :a nil] [:append :a 1] [:r :a nil]]"),
        plant("future-read", ss, Set.of(), "1000 ok [[:r :a [1]] [:append :a 1]]"),
        plant("incompatible-order", ss, Set.of(), "1000 ok [[:append :a 1]]", "1001 ok [[:append :a 2]]",
            "1002 ok [[:append :a 3]]", "1003 ok [[:r :a [1 3]]]", "1004 ok [[:r :a [1 2 3]]]"),
        plant("duplicate-elements", ss, Set.of(), "1000 ok [[:append :a 1]]", "1001 ok [[:r :a [1 1]]]"),
        // The committed append on top of the aborted one is seen by a read, which is an aborted read.
        plant("dirty-update", ss, Set.of("G1a"), "1000 fail [[:append :a 1]]", "1001 ok [[:append :a 2]]",
            "1002 ok [[:r :a [1 2]]]"),
        // Two appends on the same read state: each misses the other, the G2-item cycle Adya's lost update is.
        plant("lost-update", ss, Set.of("G2-item"), "1000 ok [[:append :a 0]]", "1001 ok [[:r :a [0]] [:append :a 1]]",
            "1002 ok [[:r :a [0]] [:append :a 2]]"),
        plant("garbage-read", ss, Set.of(), "1000 ok [[:r :a [7]]]"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plants")
  void plantedAnomalyIsCaughtAndNamed(Plant p) {
    for (long seed = 1; seed <= 3; seed++) {
      History base = TxnHistories.generate(new TxnHistories.Spec(seed, 300, 4, 4, 8, 4, false));
      Result r = check(TxnChecker.Workload.LIST_APPEND, p.model(), withPlant(base, p.steps()));
      assertEquals(Validity.FALSE, r.validity(), p + ": " + r.summary());
      Set<String> got = reported(r);
      assertTrue(got.contains(p.anomaly()), p + " reported as " + got);
      Set<String> allowed = new TreeSet<>(p.alongWith());
      allowed.add(p.anomaly());
      assertEquals(allowed, got, p + ": no stronger or other class (" + r.summary() + ")");
      @SuppressWarnings("unchecked")
      Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) r.details().get("anomalies")).get(p.anomaly());
      @SuppressWarnings("unchecked")
      Map<String, Object> first = ((List<Map<String, Object>>) a.get("cases")).get(0);
      assertTrue(((String) first.get("text")).length() > 20, "explained in words: " + first);
      if (Cycles.CLASSES.contains(p.anomaly())) {
        assertTrue(((String) first.get("text")).contains("a " + p.anomaly() + " cycle T1 → T2"), first.get("text").toString());
        assertTrue(first.containsKey("steps") && first.containsKey("cycle"), "the cycle as data: " + first);
      }
    }
  }

  @Test
  void plantedCyclesAtScaleAreEachFound() {
    History base = TxnHistories.generate(TxnHistories.Spec.listAppend(9, 5_000));
    History h = TxnHistories.withPlantedCycles(base, 9, 9);
    Result r = check(TxnChecker.Workload.LIST_APPEND, "serializable", h);
    assertEquals(Validity.FALSE, r.validity(), r.summary());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> a = (Map<String, Map<String, Object>>) r.details().get("anomalies");
    for (int i = 0; i < 3; i++) assertEquals(3, a.get(TxnHistories.plantedKind(i)).get("count"), a.keySet().toString());
  }

  static Result check(TxnChecker.Workload w, String model, History h) {
    return new TxnChecker(TxnChecker.Options.of(w).withConsistency(List.of(model))).check(CONTEXT, h);
  }

  @SuppressWarnings("unchecked")
  static Set<String> reported(Result r) {
    return new TreeSet<>((List<String>) r.details().get("anomaly-types"));
  }

  /**
   * The base history's records, then the plant's: "P invoke V" an invocation (its reads unknown), "P ok
   * V" and "P fail V" completions (of P's open invocation, if any), "P call V" both, one after the other.
   */
  static History withPlant(History base, List<String> steps) {
    List<Op> ops = new ArrayList<>(base.records());
    for (String step : steps) {
      String[] parts = step.split(" ", 3);
      long process = Long.parseLong(parts[0]);
      Object value = Edn.parse(parts[2]);
      if (parts[1].equals("invoke")) {
        ops.add(new Op(-1, -1, OpType.INVOKE, process, "txn", null, invocation(value), null, null, 0));
      } else if (parts[1].equals("call")) {
        ops.add(new Op(-1, -1, OpType.INVOKE, process, "txn", null, invocation(value), null, null, 0));
        ops.add(new Op(-1, -1, OpType.OK, process, "txn", null, value, null, null, 0));
      } else {
        ops.add(new Op(-1, -1, OpType.fromWire(parts[1]), process, "txn", null, value, null, null, 0));
      }
    }
    List<Op> indexed = new ArrayList<>();
    for (Op op : ops) indexed.add(op.withIndex(-1));
    return History.unpaired("planted", indexed);
  }

  private static Object invocation(Object txn) {
    List<Object> out = new ArrayList<>();
    for (Object m : (List<?>) txn) {
      List<?> mop = (List<?>) m;
      out.add(mop.get(0).toString().equals(":r") ? java.util.Arrays.asList(mop.get(0), mop.get(1), null) : mop);
    }
    return out;
  }
}
