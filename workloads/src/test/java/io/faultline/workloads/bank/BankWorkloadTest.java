package io.faultline.workloads.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BankWorkloadTest {
  private final BankWorkload workload = new BankWorkload();

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
  void transfersAreBetweenTwoAccountsAndReadsAskForEveryBalance() {
    List<Op> ops = draw(workload.generator(), 400, 3);
    int transfers = 0;
    int reads = 0;
    for (Op op : ops) {
      assertEquals(BankWorkload.KEY, op.key());
      Map<?, ?> v = (Map<?, ?>) op.value();
      if (op.f().equals("transfer")) {
        transfers++;
        assertNotEquals(v.get("from"), v.get("to"));
        long amount = (Long) v.get("amount");
        assertTrue(amount >= 1 && amount <= 5, "amount " + amount);
        assertEquals(10L, v.get("opening"));
      } else {
        reads++;
        assertEquals("read", op.f());
        assertEquals(workload.accounts(), v.get("accounts"));
      }
    }
    assertTrue(transfers > 100 && reads > 100, transfers + " transfers, " + reads + " reads");
    assertEquals(ops, draw(workload.generator(), 400, 3), "same seed, same operations");
  }

  @Test
  void theFinalOperationsAreReadsAtEachNode() {
    List<Op> ops = draw(workload.finalGenerator(List.of("n1", "n2")), 2, 1);
    assertEquals(List.of("n1", "n2"), ops.stream().map(Op::node).toList());
    assertTrue(ops.stream().allMatch(op -> op.f().equals("read")));
  }

  private History readOf(Map<String, Object> balances) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(-1, 0, OpType.INVOKE, 0L, "read", BankWorkload.KEY, null, null, null, 0));
    ops.add(new Op(-1, 1, OpType.OK, 0L, "read", BankWorkload.KEY, balances, null, null, 0));
    return History.of("test", ops);
  }

  private Map<String, Object> balances(long... values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) m.put("a" + i, values[i]);
    return m;
  }

  @Test
  void theCheckerWantsTheOpeningTotalAndNoOverdraft() {
    CheckContext ctx = CheckContext.defaults();
    assertEquals(Validity.TRUE, workload.checker().check(ctx, readOf(balances(10, 10, 10, 10, 10, 10, 10, 10))).validity());
    assertEquals(Validity.TRUE, workload.checker().check(ctx, readOf(balances(0, 20, 12, 8, 10, 10, 10, 10))).validity());
    assertEquals(Validity.FALSE, workload.checker().check(ctx, readOf(balances(5, 10, 10, 10, 10, 10, 10, 10))).validity(),
        "half a transfer: 5 left a0 and arrived nowhere");
    assertEquals(Validity.FALSE, workload.checker().check(ctx, readOf(balances(-1, 21, 10, 10, 10, 10, 10, 10))).validity());
  }
}
