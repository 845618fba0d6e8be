package io.faultline.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Availability by side: during a partition n1 n2 | n3, operations answered by n3 count for the
 * minority and the others for the majority, a redirect counts where it was answered, a kill's
 * struck node is told from the rest, and the time without faults is the baseline. A CP-shaped
 * history (the minority refuses) and an AP-shaped one (it serves) give the figures each should.
 */
class CapAvailabilityTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @Test
  void aMinorityThatRefusesAndOneThatServesAreToldApart() {
    Map<String, Object> cp = CapAvailability.of(history(false), NODES);
    Map<String, Object> ap = CapAvailability.of(history(true), NODES);
    assertEquals(0.0, share(cp, "partition", "minority"), "the CP minority refuses: " + cp);
    assertEquals(1.0, share(ap, "partition", "minority"), "the AP minority serves: " + ap);
    assertEquals(1.0, share(cp, "partition", "majority"));
    assertEquals(1.0, share(cp, "baseline", null));
    assertEquals(2L, ((Map<?, ?>) ((Map<?, ?>) cp.get("partition")).get("majority")).get("operations"),
        "n1's own operation and n3's one answered by n1 after a redirect: " + cp);
    assertEquals(1L, ((Map<?, ?>) cp.get("windows")).get("partition"));
    assertEquals(0.0, share(cp, "kill", "struck"), "the killed node answers nothing");
    assertEquals(1.0, share(cp, "kill", "others"));
    Map<?, ?> majority = (Map<?, ?>) ((Map<?, ?>) cp.get("partition")).get("majority");
    assertTrue(((Number) majority.get("p50-ms")).doubleValue() > 0, "latency of the ok operations: " + majority);
  }

  /** A baseline op, a partition with ops on both sides, then a kill of n2 with ops on n2 and n1. */
  private static History history(boolean minorityServes) {
    List<Op> ops = new ArrayList<>();
    long[] t = {0};
    op(ops, t, 0, "n1", OpType.OK, "n1");
    Map<String, Object> grudge = new LinkedHashMap<>();
    grudge.put("n1", List.of("n3"));
    grudge.put("n2", List.of("n3"));
    grudge.put("n3", List.of("n1", "n2"));
    nemesis(ops, t, "start-partition", Map.of("grudge", grudge));
    op(ops, t, 1, "n1", OpType.OK, "n1");
    op(ops, t, 2, "n3", minorityServes ? OpType.OK : OpType.FAIL, "n3");
    op(ops, t, 3, "n3", OpType.OK, minorityServes ? "n3" : "n1");
    nemesis(ops, t, "stop-partition", Map.of());
    nemesis(ops, t, "kill", Map.of("nodes", List.of("n2")));
    op(ops, t, 4, "n2", OpType.FAIL, "n2");
    op(ops, t, 5, "n1", OpType.OK, "n1");
    nemesis(ops, t, "start", Map.of("nodes", List.of("n2")));
    return History.of("test", ops);
  }

  private static void op(List<Op> ops, long[] t, long process, String sentTo, OpType outcome, String answeredBy) {
    ops.add(new Op(ops.size(), t[0] += 1_000_000, OpType.INVOKE, process, "write", "k", 1L, null, sentTo, 0));
    ops.add(new Op(ops.size(), t[0] += 2_000_000, outcome, process, "write", "k", 1L, null, answeredBy, 0));
  }

  private static void nemesis(List<Op> ops, long[] t, String f, Map<String, Object> value) {
    ops.add(new Op(ops.size(), t[0] += 1_000_000, OpType.INFO, Op.NEMESIS, f, null, value, null, null, 0));
  }

  private static double share(Map<String, Object> data, String kind, String side) {
    Map<?, ?> m = (Map<?, ?>) data.get(kind);
    if (side != null) m = (Map<?, ?>) m.get(side);
    return ((Number) m.get("ok-share")).doubleValue();
  }
}
