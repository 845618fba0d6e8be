package io.faultline.workloads.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RegisterWorkloadTest {
  private final RegisterWorkload workload = RegisterWorkload.standard();

  private static List<Op> draw(Generator g, int n, long seed) {
    Random random = new Random(seed);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Next next = g.next(new Context(i, List.of(0L), 1, random));
      if (next instanceof Next.Exhausted) break;
      Next.Invoke inv = assertInstanceOf(Next.Invoke.class, next);
      ops.add(inv.op());
      g = inv.rest();
    }
    return ops;
  }

  @Test
  void theMixHoldsReadsWritesAndCasOverTheKeysWithSmallValues() {
    TreeMap<String, Integer> byF = new TreeMap<>();
    TreeMap<String, Integer> byKey = new TreeMap<>();
    for (Op op : draw(workload.generator(), 3000, 11)) {
      byF.merge(op.f(), 1, Integer::sum);
      byKey.merge((String) op.key(), 1, Integer::sum);
      switch (op.f()) {
        case "read" -> assertEquals(null, op.value());
        case "write" -> assertTrue((Long) op.value() >= 0 && (Long) op.value() < 5, op.toString());
        case "cas" -> {
          List<?> pair = (List<?>) op.value();
          assertEquals(2, pair.size());
          for (Object v : pair) assertTrue((Long) v >= 0 && (Long) v < 5, op.toString());
        }
        default -> throw new AssertionError("unexpected function " + op);
      }
    }
    assertEquals(List.of("cas", "read", "write"), new ArrayList<>(byF.keySet()));
    for (int n : byF.values()) assertTrue(n > 800, "unbalanced mix " + byF);
    assertEquals(List.of("k1", "k2", "k3"), new ArrayList<>(byKey.keySet()));
  }

  @Test
  void theFinalOperationsAreOneReadPerKey() {
    List<Op> ops = draw(workload.finalGenerator(List.of("n1", "n2", "n3")), 100, 1);
    assertEquals(3, ops.size());
    for (int i = 0; i < 3; i++) {
      assertEquals("read", ops.get(i).f());
      assertEquals(workload.keys().get(i), ops.get(i).key());
    }
  }

  /** Builds a history from rows of (process, type, f, key, value). */
  private static History history(Object[]... rows) {
    List<Op> ops = new ArrayList<>();
    for (Object[] r : rows) {
      ops.add(new Op(-1, ops.size(), (OpType) r[1], ((Number) r[0]).longValue(), (String) r[2], r[3], r[4], null, null, 0));
    }
    return History.of("test", ops);
  }

  private Validity check(History h) {
    return workload.checker().check(CheckContext.defaults(), h).validity();
  }

  private static final OpType I = OpType.INVOKE;
  private static final OpType OK = OpType.OK;
  private static final OpType FAIL = OpType.FAIL;

  @Test
  void aKeyNeverWrittenReadsAsNull() {
    assertEquals(Validity.TRUE, check(history(
        new Object[] {0, I, "read", "k1", null}, new Object[] {0, OK, "read", "k1", null})));
    // ... and is not 0: a cas from 0 cannot succeed on it.
    assertEquals(Validity.FALSE, check(history(
        new Object[] {0, I, "cas", "k1", List.of(0L, 1L)}, new Object[] {0, OK, "cas", "k1", List.of(0L, 1L)})));
  }

  @Test
  void readsMustSeeTheLatestWriteOfTheirOwnKeyOnly() {
    assertEquals(Validity.TRUE, check(history(
        new Object[] {0, I, "write", "k1", 3L}, new Object[] {0, OK, "write", "k1", 3L},
        new Object[] {1, I, "read", "k2", null}, new Object[] {1, OK, "read", "k2", null},
        new Object[] {1, I, "cas", "k1", List.of(3L, 4L)}, new Object[] {1, OK, "cas", "k1", List.of(3L, 4L)},
        new Object[] {0, I, "read", "k1", null}, new Object[] {0, OK, "read", "k1", 4L})));
    assertEquals(Validity.FALSE, check(history(
        new Object[] {0, I, "write", "k1", 3L}, new Object[] {0, OK, "write", "k1", 3L},
        new Object[] {0, I, "write", "k1", 4L}, new Object[] {0, OK, "write", "k1", 4L},
        new Object[] {1, I, "read", "k1", null}, new Object[] {1, OK, "read", "k1", 3L})));
    assertEquals(Validity.FALSE, check(history(
        new Object[] {0, I, "write", "k1", 3L}, new Object[] {0, OK, "write", "k1", 3L},
        new Object[] {1, I, "read", "k1", null}, new Object[] {1, OK, "read", "k1", null})));
  }

  @Test
  void aFailedCasDidNotHappen() {
    assertEquals(Validity.TRUE, check(history(
        new Object[] {0, I, "write", "k1", 1L}, new Object[] {0, OK, "write", "k1", 1L},
        new Object[] {0, I, "cas", "k1", List.of(2L, 3L)}, new Object[] {0, FAIL, "cas", "k1", List.of(2L, 3L)},
        new Object[] {0, I, "read", "k1", null}, new Object[] {0, OK, "read", "k1", 1L})));
  }
}
