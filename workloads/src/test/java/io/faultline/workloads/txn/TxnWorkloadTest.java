package io.faultline.workloads.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Next;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TxnWorkloadTest {
  /** {@code n} invocations of {@code g}, every process free each time. */
  private static List<Op> draw(Generator g, long seed, int n) {
    Random random = new Random(seed);
    List<Op> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Next next = g.next(new Context(i, List.of(0L, 1L, 2L), 3, random));
      Op op = ((Next.Invoke) next).op();
      out.add(op);
      g = ((Next.Invoke) next).rest();
    }
    return out;
  }

  @Test
  void writesAreUniquePerKeyAcrossTheRunAndItsRecoveryPhaseAndKeysRoll() {
    Workload w = new ListAppendWorkload().configure(Map.of("key-count", "2", "max-writes-per-key", "3",
        "min-txn-length", "2", "max-txn-length", "3"));
    List<Op> ops = new ArrayList<>(draw(w.generator(), 7, 200));
    ops.addAll(draw(w.generator(), 8, 50)); // the recovery phase asks for a new generator
    Set<List<Object>> writes = new HashSet<>();
    Set<Object> keys = new TreeSet<>();
    for (Op op : ops) {
      assertEquals("txn", op.f());
      List<?> mops = (List<?>) op.value();
      assertTrue(mops.size() >= 2 && mops.size() <= 3, "length within the knobs: " + mops);
      for (Object o : mops) {
        List<?> m = (List<?>) o;
        keys.add(m.get(1));
        if (m.get(0).equals("append")) {
          assertTrue(writes.add(List.of(m.get(1), m.get(2))), "a value appended twice to a key: " + m);
          assertTrue((Long) m.get(2) >= 1 && (Long) m.get(2) <= 3, "at most max-writes-per-key values: " + m);
        } else {
          assertEquals("r", m.get(0));
        }
      }
    }
    assertTrue(keys.size() > 10, "keys are retired and replaced: " + keys);
    // The final reads read every key touched, a few per transaction, and nothing but reads.
    Set<Object> read = new TreeSet<>();
    Generator fin = w.finalGenerator(List.of("n1"));
    Random random = new Random(1);
    while (fin.next(new Context(0, List.of(0L), 1, random)) instanceof Next.Invoke inv) {
      for (Object o : (List<?>) inv.op().value()) {
        assertEquals("r", ((List<?>) o).get(0));
        read.add(((List<?>) o).get(1));
      }
      fin = inv.rest();
    }
    assertEquals(keys, read);
  }

  @Test
  void theSameSeedDrawsTheSameTransactions() {
    assertEquals(draw(new RwRegisterWorkload().generator(), 3, 100), draw(new RwRegisterWorkload().generator(), 3, 100));
    for (Op op : draw(new RwRegisterWorkload().generator(), 3, 20)) {
      for (Object o : (List<?>) op.value()) assertTrue(List.of("r", "w").contains(((List<?>) o).get(0)));
    }
  }

  @Test
  void badKnobsAreRefusedInWords() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new ListAppendWorkload().configure(Map.of("key-count", "x"))).getMessage().contains("key-count"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new ListAppendWorkload().configure(Map.of("min-txn-length", "5"))).getMessage().contains("min-txn-length"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new ListAppendWorkload().configure(Map.of("consistency", "nope"))).getMessage().contains("nope"));
  }
}
