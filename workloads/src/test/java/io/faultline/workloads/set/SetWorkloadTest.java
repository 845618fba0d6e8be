package io.faultline.workloads.set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetWorkloadTest {
  private final SetWorkload workload = SetWorkload.standard();

  private static List<Op> draw(Generator g, int n, long seed) {
    Random random = new Random(seed);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Next next = g.next(new Context(i, List.of(0L, 1L, 2L), 3, random));
      if (next instanceof Next.Exhausted) break;
      Next.Invoke inv = assertInstanceOf(Next.Invoke.class, next);
      ops.add(inv.op());
      g = inv.rest();
    }
    return ops;
  }

  @Test
  void addsAreUniqueConsecutiveElementsWithAFewReads() {
    List<Long> added = new ArrayList<>();
    int reads = 0;
    for (Op op : draw(workload.generator(), 2000, 3)) {
      assertEquals("s", op.key());
      if (op.f().equals("add")) {
        added.add((Long) op.value());
      } else {
        assertEquals("read", op.f());
        assertNull(op.value());
        reads++;
      }
    }
    for (int i = 0; i < added.size(); i++) assertEquals((long) i, added.get(i));
    assertTrue(reads > 100 && reads < 400, reads + " reads in 2000");
  }

  @Test
  void theGeneratorIsAValueSoAskingTheSameStateTwiceGivesTheSameElement() {
    Generator g = workload.generator();
    List<Op> first = draw(g, 50, 9);
    assertEquals(first, draw(g, 50, 9), "same seed, same operations");
    Generator after = ((Next.Invoke) g.next(new Context(0, List.of(0L), 1, new Random(1)))).rest();
    assertEquals(draw(after, 20, 5), draw(after, 20, 5));
  }

  @Test
  void theFinalOperationsAreOneReadAimedAtEachNode() {
    List<Op> ops = draw(workload.finalGenerator(List.of("n1", "n2", "n3")), 100, 1);
    assertEquals(3, ops.size());
    Set<Long> processes = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      assertEquals("read", ops.get(i).f());
      assertEquals("s", ops.get(i).key());
      assertEquals("n" + (i + 1), ops.get(i).node());
      processes.add(ops.get(i).clientProcess());
    }
    List<Op> anywhere = draw(workload.finalGenerator(List.of()), 100, 1);
    assertEquals(1, anywhere.size());
    assertNull(anywhere.get(0).node());
  }

  /** Builds a history from rows of (process, type, f, value). */
  private static History history(Object[]... rows) {
    List<Op> ops = new ArrayList<>();
    for (Object[] r : rows) {
      ops.add(new Op(-1, ops.size(), (OpType) r[1], ((Number) r[0]).longValue(), (String) r[2], "s", r[3], null, null, 0));
    }
    return History.of("test", ops);
  }

  private Validity check(History h) {
    return workload.checker().check(CheckContext.defaults(), h).validity();
  }

  private static final OpType I = OpType.INVOKE;
  private static final OpType OK = OpType.OK;
  private static final OpType INFO = OpType.INFO;

  @Test
  void everyAcknowledgedAddInTheFinalReadsIsValid() {
    assertEquals(Validity.TRUE, check(history(
        new Object[] {0, I, "read", null}, new Object[] {0, OK, "read", null},
        new Object[] {0, I, "add", 0L}, new Object[] {0, OK, "add", 0L},
        new Object[] {1, I, "add", 1L}, new Object[] {1, INFO, "add", 1L},
        new Object[] {0, I, "add", 2L}, new Object[] {0, OK, "add", 2L},
        new Object[] {0, I, "read", null}, new Object[] {0, OK, "read", List.of(0L, 2L)},
        new Object[] {2, I, "read", null}, new Object[] {2, OK, "read", List.of(0L, 1L, 2L)})));
  }

  @Test
  void anAcknowledgedAddMissingFromTheFinalReadsIsRejected() {
    assertEquals(Validity.FALSE, check(history(
        new Object[] {0, I, "add", 0L}, new Object[] {0, OK, "add", 0L},
        new Object[] {1, I, "add", 1L}, new Object[] {1, OK, "add", 1L},
        new Object[] {0, I, "read", null}, new Object[] {0, OK, "read", List.of(0L, 1L)},
        new Object[] {1, I, "read", null}, new Object[] {1, OK, "read", List.of(0L)})));
  }

  @Test
  void aReadThatMissesAnAcknowledgedAddBeforeItAppearsIsStaleAndRejected() {
    assertEquals(Validity.FALSE, check(history(
        new Object[] {0, I, "add", 0L}, new Object[] {0, OK, "add", 0L},
        new Object[] {1, I, "read", null}, new Object[] {1, OK, "read", null},
        new Object[] {1, I, "read", null}, new Object[] {1, OK, "read", List.of(0L)})));
  }
}
