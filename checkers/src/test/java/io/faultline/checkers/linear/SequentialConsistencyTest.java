package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialConsistencyTest {
  private static final Model REGISTER = Models.create("register", null, Semantics.FAULTLINE);
  private final LinearizabilityChecker linear = new LinearizabilityChecker(REGISTER, Semantics.FAULTLINE);
  private final LinearizabilityChecker sequential = linear.withConsistency(Consistency.SEQUENTIAL);

  private static Result check(LinearizabilityChecker c, History h) {
    return c.check(CheckContext.defaults(), h);
  }

  private void assertVerdicts(Validity lin, Validity sc, History h) {
    assertEquals(lin, check(linear, h).validity(), "linearizable");
    Result r = check(sequential, h);
    assertEquals(sc, r.validity(), () -> "sequential: " + r + " " + r.details());
    assertEquals("sequential", r.checker());
  }

  @Test
  void aStaleReadOnAnotherProcessIsSequentialButNotLinearizable() {
    // The write completes before the read begins, in real time; process order lets the read go first.
    History h = Hist.of().invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", null).build();
    assertVerdicts(Validity.FALSE, Validity.TRUE, h);
  }

  @Test
  void readingYourWriteThenTheOlderValueIsNeither() {
    History h = Hist.of().invoke(0, "write", 1L).ok(0, "write", 1L)
        .invoke(0, "read", null).ok(0, "read", 1L)
        .invoke(0, "read", null).ok(0, "read", null).build();
    assertVerdicts(Validity.FALSE, Validity.FALSE, h);
    Result r = check(sequential, h);
    List<Map<String, Object>> failures = (List<Map<String, Object>>) r.details().get("failures");
    assertTrue(((String) failures.get(0).get("reason")).contains("process 0 read -> ok nil"),
        () -> failures.toString());
  }

  @Test
  void readsThatImposeACycleAreNeither() {
    // Process 2 sees 1 before 2, process 3 sees 2 before 1: no single order of the writes.
    History h = Hist.of().invoke(0, "write", 1L).invoke(1, "write", 2L).ok(0, "write", 1L).ok(1, "write", 2L)
        .invoke(2, "read", null).ok(2, "read", 1L).invoke(2, "read", null).ok(2, "read", 2L)
        .invoke(3, "read", null).ok(3, "read", 2L).invoke(3, "read", null).ok(3, "read", 1L).build();
    assertVerdicts(Validity.FALSE, Validity.FALSE, h);
  }

  @Test
  void linearizableHistoriesAreSequential() {
    History h = Hist.of().invoke(0, "write", 1L).invoke(1, "read", null).ok(1, "read", null).ok(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L).invoke(0, "write", 2L).ok(0, "write", 2L)
        .invoke(2, "read", null).ok(2, "read", 2L).build();
    assertVerdicts(Validity.TRUE, Validity.TRUE, h);
  }

  @Test
  void anInfoWriteMayTakeEffectOrNotButNeverUndoes() {
    History mayApply = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", null).invoke(1, "read", null).ok(1, "read", 1L).build();
    assertEquals(Validity.TRUE, check(sequential, mayApply).validity());
    History mayNot = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", null).build();
    assertEquals(Validity.TRUE, check(sequential, mayNot).validity());
    History undone = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L).invoke(1, "read", null).ok(1, "read", null).build();
    assertEquals(Validity.FALSE, check(sequential, undone).validity());
  }

  @Test
  void keysThatAreEachSequentialMayHaveNoCommonOrder() {
    // Dekker: each process writes its key, then reads the other's as never written.
    History h = Hist.of().invokeKey(0, "write", "x", 1L).okKey(0, "write", "x", 1L)
        .invokeKey(1, "write", "y", 1L).okKey(1, "write", "y", 1L)
        .invokeKey(0, "read", "y", null).okKey(0, "read", "y", null)
        .invokeKey(1, "read", "x", null).okKey(1, "read", "x", null).build();
    Result r = check(sequential, h);
    assertEquals(Validity.FALSE, r.validity(), () -> r + " " + r.details());
    assertEquals("false", r.details().get("joint"));
    assertTrue(r.summary().contains("keys together do not"), r::summary);
  }

  @Test
  void runningOutOfTimeIsUnknownWithTheReason() {
    History h = randomHistory(new Random(3), 4, 6, true);
    Result r = sequential.check(CheckContext.defaults().withTimeout(Duration.ZERO), h);
    // A search that happens to finish in its first 256 steps may still answer; otherwise unknown.
    if (r.validity() == Validity.UNKNOWN) assertTrue(r.summary().contains("timed out"), r::summary);
    Result m = sequential.check(CheckContext.defaults().withMemoryBudget(1), randomHistory(new Random(4), 4, 6, true));
    if (m.validity() == Validity.UNKNOWN) assertTrue(m.summary().contains("memory"), m::summary);
    Result cycle = sequential.check(CheckContext.defaults().withMemoryBudget(1), Hist.of()
        .invoke(0, "write", 1L).ok(0, "write", 1L).invoke(1, "write", 2L).ok(1, "write", 2L)
        .invoke(2, "read", null).ok(2, "read", 1L).invoke(2, "read", null).ok(2, "read", 2L)
        .invoke(3, "read", null).ok(3, "read", 2L).invoke(3, "read", null).ok(3, "read", 1L).build());
    assertEquals(Validity.UNKNOWN, cycle.validity());
    assertTrue(cycle.summary().contains("out of memory budget"), cycle::summary);
  }

  /**
   * Random histories of a real in-memory last-writer-wins store: each process talks to one of two
   * replicas, writes apply locally and reach the other replica after a random delay. With faults,
   * a replica sometimes drops a write it acknowledged or a read returns an older value it once held.
   * The checker must agree with a brute-force enumeration of every process-order interleaving.
   */
  @Test
  void agreesWithBruteForceOnRandomLwwStoreHistories() {
    Random random = new Random(18);
    int sc = 0;
    int notSc = 0;
    for (int round = 0; round < 300; round++) {
      History h = randomHistory(random, 3, 3, round % 2 == 1);
      boolean expected = bruteForce(h);
      Result r = check(sequential, h);
      assertEquals(expected ? Validity.TRUE : Validity.FALSE, r.validity(), () -> "history " + h.operations());
      if (expected) sc++;
      else notSc++;
    }
    // Both answers must be exercised, or the comparison proves little.
    final int yes = sc;
    final int no = notSc;
    assertTrue(yes > 20 && no > 20, () -> "sequential " + yes + ", not " + no);
  }

  static History randomHistory(Random random, int processes, int opsPerProcess, boolean faults) {
    long[] replicaValue = new long[2];
    long[] replicaStamp = new long[2];
    List<long[]> inFlight = new ArrayList<>(); // {target, value, stamp, deliverAt}
    List<Op> records = new ArrayList<>();
    int[] left = new int[processes];
    java.util.Arrays.fill(left, opsPerProcess);
    long nextValue = 1;
    long clock = 0;
    long[] processId = new long[processes];
    for (int i = 0; i < processes; i++) processId[i] = i;
    while (true) {
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < processes; i++) if (left[i] > 0) live.add(i);
      if (live.isEmpty()) break;
      clock++;
      for (java.util.Iterator<long[]> it = inFlight.iterator(); it.hasNext(); ) {
        long[] m = it.next();
        if (m[3] > clock) continue;
        int t = (int) m[0];
        if (m[2] > replicaStamp[t]) {
          replicaStamp[t] = m[2];
          replicaValue[t] = m[1];
        }
        it.remove();
      }
      int i = live.get(random.nextInt(live.size()));
      left[i]--;
      long p = processId[i];
      int replica = (int) (p % 2);
      boolean write = random.nextBoolean();
      if (write) {
        long v = nextValue++;
        records.add(new Op(-1, -1, OpType.INVOKE, p, "write", null, v, null, null, 0));
        boolean info = faults && random.nextInt(8) == 0;
        if (!(faults && random.nextInt(6) == 0)) { // a faulty replica may drop the write yet acknowledge it
          replicaValue[replica] = v;
          replicaStamp[replica] = clock;
          inFlight.add(new long[] {1 - replica, v, clock, clock + 1 + random.nextInt(4)});
        }
        records.add(new Op(-1, -1, info ? OpType.INFO : OpType.OK, p, "write", null, v, null, null, 0));
        if (info) {
          processId[i] += processes;
          left[i] = Math.min(left[i], 1);
        }
      } else {
        records.add(new Op(-1, -1, OpType.INVOKE, p, "read", null, null, null, null, 0));
        long v = replicaValue[replica];
        if (faults && random.nextInt(5) == 0) v = random.nextInt((int) nextValue); // an arbitrary old value
        records.add(new Op(-1, -1, OpType.OK, p, "read", null, v == 0 ? null : v, null, null, 0));
      }
    }
    return History.of("random", records);
  }

  /** Tries every interleaving that keeps each process's order; info ops may be skipped. */
  static boolean bruteForce(History h) {
    java.util.Map<Object, List<Operation>> byProcess = new java.util.LinkedHashMap<>();
    for (Operation op : h.operations()) byProcess.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
    List<List<Operation>> seqs = new ArrayList<>(byProcess.values());
    return search(seqs, new int[seqs.size()], null);
  }

  private static boolean search(List<List<Operation>> seqs, int[] at, Object state) {
    boolean all = true;
    for (int p = 0; p < seqs.size(); p++) {
      if (at[p] == seqs.get(p).size()) continue;
      Operation op = seqs.get(p).get(at[p]);
      if (!op.isIndeterminate()) all = false;
    }
    if (all) return true;
    for (int p = 0; p < seqs.size(); p++) {
      if (at[p] == seqs.get(p).size()) continue;
      Operation op = seqs.get(p).get(at[p]);
      Object next;
      if (op.f().equals("write")) {
        next = op.input();
      } else {
        if (op.isIndeterminate()) continue;
        if (!java.util.Objects.equals(op.output(), state)) continue;
        next = state;
      }
      at[p]++;
      boolean found = search(seqs, at, next);
      at[p]--;
      if (found) return true;
    }
    return false;
  }
}
