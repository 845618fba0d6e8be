package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.checkers.synthetic.RegisterHistories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CoreShrinkTest {
  private static final CheckContext CTX = CheckContext.defaults().withTimeout(Duration.ofSeconds(60));
  private static final Semantics S = Semantics.FAULTLINE;

  private static Counterexample.Core coreOf(String model, Object init, History h) {
    Analysis a = new LinearizabilityChecker(Models.create(model, init, S), S).analyze(CTX, h);
    assertEquals(Validity.FALSE, a.validity(), h.source());
    Counterexample.Core core = a.counterexamples().get(0).core();
    assertNotNull(core, "a refuted key is shrunk");
    return core;
  }

  /** The history as the core is checked: other reads left out, other operations free. */
  private static boolean refutes(Model model, History h, Set<Integer> kept) {
    List<Operation> candidate = new ArrayList<>();
    for (Operation op : h.operations()) {
      if (kept.contains(op.id())) {
        candidate.add(op);
      } else if (!model.isReadOnly(op)) {
        candidate.add(op.isIndeterminate() ? op : new Operation(op.id(), op.invoke(), null, op.callPosition(), Long.MAX_VALUE));
      }
    }
    return new Search(model, null, candidate, Long.MAX_VALUE, 1L << 30).run().validity() == Validity.FALSE;
  }

  @ParameterizedTest
  @CsvSource({"cas-register, 1", "cas-register, 2", "kv, 3", "kv, 4"})
  void aCorruptedReadIsItsOwnCore(String model, long seed) {
    RegisterHistories.Spec spec = model.equals("kv") ? RegisterHistories.Spec.append(seed, 300, 5, 1, 0.02)
        : new RegisterHistories.Spec(seed, 2_000, 8, 1, 0.02, 5);
    History bad = RegisterHistories.corruptOneRead(RegisterHistories.generate(spec), seed);
    Counterexample.Core core = coreOf(model, null, bad);
    assertEquals(1, core.kept().size(), core.kept().size() + " operations kept, minimal: " + core.minimal());
    Object seen = core.kept().get(0).output();
    assertTrue(Long.valueOf(-1).equals(seen) || seen instanceof String v && v.endsWith("never appended "), "" + seen);
    assertTrue(core.minimal());
  }

  @Test
  void theCoreKeepsTheWriteThatMakesAReadStale() {
    // A write of 1 completes, a read of 1 follows, and a later read sees the initial 0 again. With the
    // write free it could have never happened, so the core must keep it determinate.
    History h = Hist.of()
        .invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .invoke(2, "write", 2L).ok(2, "write", 2L)
        .invoke(1, "read", null).ok(1, "read", 0L).build();
    Counterexample.Core core = coreOf("cas-register", 0L, h);
    List<String> kept = core.kept().stream().map(Operation::toString).toList();
    assertTrue(kept.contains("process 1 read -> ok 0"), kept.toString());
    assertTrue(kept.stream().anyMatch(k -> k.contains("write")), kept.toString());
    assertTrue(kept.size() <= 2, kept.toString());
  }

  @ParameterizedTest
  @CsvSource({"1", "2", "3", "4", "5"})
  void aMinimalCoreRefutesAndNoneOfItsOperationsCanGo(long seed) {
    // Histories that are wrong in a less obvious way: one read takes another read's value.
    History h = RegisterHistories.generate(new RegisterHistories.Spec(seed, 60, 4, 1, 0.05, 3));
    var records = new ArrayList<>(h.records());
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      var op = records.get(i);
      if (op.type() == io.faultline.checkers.history.OpType.OK && "read".equals(op.f())) reads.add(i);
    }
    java.util.Random random = new java.util.Random(seed);
    Model model = Models.create("cas-register", null, S);
    for (int attempt = 0; attempt < 50; attempt++) {
      var changed = new ArrayList<>(records);
      int victim = reads.get(random.nextInt(reads.size()));
      changed.set(victim, records.get(victim).withValue(records.get(reads.get(random.nextInt(reads.size()))).value()));
      History bad = History.of("mutated", changed);
      Analysis a = new LinearizabilityChecker(model, S).analyze(CTX, bad);
      if (a.validity() != Validity.FALSE) continue;
      Counterexample.Core core = a.counterexamples().get(0).core();
      Set<Integer> kept = new HashSet<>();
      for (Operation op : core.kept()) kept.add(op.id());
      assertTrue(refutes(model, bad, kept), "the core refutes");
      assertTrue(core.minimal());
      for (Operation op : core.kept()) {
        Set<Integer> less = new HashSet<>(kept);
        less.remove(op.id());
        assertTrue(!refutes(model, bad, less), "leaving out " + op + " no longer refutes");
      }
      return;
    }
    throw new AssertionError("no mutation of seed " + seed + " was refuted");
  }
}
