package io.faultline.results.counterexample;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.Counterexample;
import io.faultline.checkers.linear.PartitionVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/** Histories and counterexamples for the tests, built by hand or by a small register simulation. */
final class Samples {
  private Samples() {}

  /** Appends records in real-time order; positions (and times, 1 ms apart) follow the order of calls. */
  static final class H {
    final List<Op> records = new ArrayList<>();
    final Object key;

    H(Object key) {
      this.key = key;
    }

    H invoke(long p, String f, Object v) {
      return add(OpType.INVOKE, p, f, v);
    }

    H ok(long p, String f, Object v) {
      return add(OpType.OK, p, f, v);
    }

    H fail(long p, String f, Object v) {
      return add(OpType.FAIL, p, f, v);
    }

    H info(long p, String f, Object v) {
      return add(OpType.INFO, p, f, v);
    }

    H add(OpType type, long p, String f, Object v) {
      records.add(new Op(-1, records.size() * 1_000_000L, type, p, f, key, v, null, null, 0));
      return this;
    }

    List<Operation> operations() {
      return History.of("test", records).operations();
    }
  }

  static Counterexample.Step step(Operation op, String state) {
    return new Counterexample.Step(op, state);
  }

  static Counterexample.Attempt attempt(Operation op, String reason) {
    return new Counterexample.Attempt(op, reason);
  }

  static PartitionVerdict falseVerdict(Counterexample cx) {
    return new PartitionVerdict(cx.partition(), Validity.FALSE, "operation cannot be linearized: " + cx.failing(),
        cx.operations().size(), 1234, cx);
  }

  static Analysis analysis(Counterexample... cxs) {
    List<PartitionVerdict> parts = new ArrayList<>();
    for (Counterexample cx : cxs) parts.add(falseVerdict(cx));
    return new Analysis("cas-register", Validity.FALSE, parts, 12_345_678L);
  }

  /**
   * The textbook stale read: p0 writes 1, p1 writes 2, then p2 reads 1. p3's write of 4 is
   * indeterminate, p0's cas is open at the failure.
   */
  static Counterexample staleRead(Object key) {
    H h = new H(key)
        .invoke(0, "write", 1L).ok(0, "write", 1L)                 // 0 1
        .invoke(3, "write", 4L)                                    // 2
        .invoke(1, "write", 2L).ok(1, "write", 2L)                 // 3 4
        .invoke(2, "read", null)                                   // 5
        .invoke(0, "cas", List.of(2L, 3L))                         // 6
        .ok(2, "read", 1L)                                         // 7  failure
        .info(3, "write", null)                                    // 8
        .ok(0, "cas", List.of(2L, 3L));                            // 9
    List<Operation> ops = h.operations();
    Operation w1 = ops.get(0);
    Operation w4 = ops.get(1);
    Operation w2 = ops.get(2);
    Operation read = ops.get(3);
    Operation cas = ops.get(4);
    return new Counterexample("cas-register", key, "nil", ops,
        List.of(step(w1, "1"), step(w2, "2")), read, 7,
        List.of(attempt(read, "read 1 but state is 2"),
            attempt(cas, "can follow, but then read 1 still fails: state would be 3"),
            attempt(w4, "can follow, but then read 1 still fails: state would be 4")));
  }

  /**
   * A simulated register: each operation takes effect at a random instant between its call and
   * return, so the effect order is a true linearization. About one in twenty operations times out
   * ({@code info}; it takes effect or not) and its worker continues as a new process, as in Jepsen.
   * Then one read near the end is made to return a stale value: the planted bug.
   *
   * @param workers concurrent workers
   * @param count operations
   */
  static Counterexample simulated(Object key, int workers, int count, long seed) {
    Random rnd = new Random(seed);
    record Ev(long time, int kind, int op) {} // kind: 0 call, 1 effect, 2 return
    long[] clock = new long[workers];
    long[] process = new long[workers];
    for (int i = 0; i < workers; i++) {
      process[i] = i;
      clock[i] = rnd.nextInt(20);
    }
    String[] f = new String[count];
    Object[] input = new Object[count];
    long[] proc = new long[count];
    boolean[] info = new boolean[count];
    boolean[] effect = new boolean[count];
    List<Ev> events = new ArrayList<>(count * 3);
    for (int i = 0; i < count; i++) {
      int w = 0; // the worker that is free first, as a generator hands work to free workers
      for (int k = 1; k < workers; k++) if (clock[k] < clock[w]) w = k;
      long call = clock[w] + 1 + rnd.nextInt(30);
      long ret = call + 5 + rnd.nextInt(60);
      long eff = call + 1 + rnd.nextInt((int) (ret - call - 1));
      clock[w] = ret;
      int r = rnd.nextInt(10);
      f[i] = r < 4 ? "read" : r < 8 ? "write" : "cas";
      input[i] = f[i].equals("read") ? null
          : f[i].equals("write") ? (Object) (long) rnd.nextInt(5)
          : List.of((long) rnd.nextInt(5), (long) rnd.nextInt(5));
      proc[i] = process[w];
      info[i] = rnd.nextInt(20) == 0 && i < count - 1;
      effect[i] = !info[i] || rnd.nextBoolean();
      if (info[i]) process[w] += workers; // retired; the worker continues as a new process
      events.add(new Ev(call * 4, 0, i));
      if (effect[i]) events.add(new Ev(eff * 4 + 1, 1, i));
      events.add(new Ev(ret * 4 + 2, 2, i));
    }
    events.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::op));

    Object state = null;
    Object[] output = new Object[count];
    boolean[] failed = new boolean[count];
    String[] stateAfter = new String[count];
    int[] idOf = new int[count]; // operation ids follow the order of calls
    int[] completionAt = new int[count];
    List<Integer> effectOrder = new ArrayList<>();
    List<Op> records = new ArrayList<>(count * 2);
    int nextId = 0;
    for (Ev e : events) {
      int i = e.op();
      long nanos = e.time() * 250_000L;
      switch (e.kind()) {
        case 0 -> {
          idOf[i] = nextId++;
          records.add(new Op(-1, nanos, OpType.INVOKE, proc[i], f[i], key, input[i], null, "n1", 0));
        }
        case 1 -> {
          switch (f[i]) {
            case "read" -> output[i] = state;
            case "write" -> state = input[i];
            default -> {
              List<?> ab = (List<?>) input[i];
              if (Objects.equals(ab.get(0), state)) state = ab.get(1);
              else failed[i] = true;
            }
          }
          boolean visible = !(f[i].equals("cas") && failed[i]) && !(f[i].equals("read") && info[i]);
          if (visible) {
            stateAfter[i] = Values.show(state);
            effectOrder.add(i);
          }
        }
        default -> {
          OpType type = info[i] ? OpType.INFO : failed[i] ? OpType.FAIL : OpType.OK;
          Object v = info[i] ? null : f[i].equals("read") ? output[i] : input[i];
          completionAt[i] = records.size();
          records.add(new Op(-1, nanos, type, proc[i], f[i], key, v, null, "n1", 0));
        }
      }
    }
    // Plant the bug: a read near the end (with some operations after it) returns a value never
    // written, so that no placement of the open operations can explain it.
    int target = -1;
    for (int k = effectOrder.size() * 97 / 100; k < effectOrder.size() && target < 0; k++) {
      int i = effectOrder.get(k);
      if (f[i].equals("read") && !info[i]) target = k;
    }
    if (target < 0) throw new IllegalStateException("no read to corrupt; change the seed");
    int bad = effectOrder.get(target);
    records.set(completionAt[bad], records.get(completionAt[bad]).withValue(99L));

    List<Operation> ops = History.of("sim", records).operations();
    Operation failing = ops.get(idOf[bad]);
    List<Counterexample.Step> steps = new ArrayList<>();
    Set<Integer> linearized = new HashSet<>();
    for (int k = 0; k < target; k++) {
      int i = effectOrder.get(k);
      steps.add(step(ops.get(idOf[i]), stateAfter[i]));
      linearized.add(idOf[i]);
    }
    String stateAtFailure = steps.isEmpty() ? "nil" : steps.get(steps.size() - 1).stateAfter();
    List<Counterexample.Attempt> attempts = new ArrayList<>();
    attempts.add(attempt(failing, "read 99 but state is " + stateAtFailure));
    for (Operation op : ops) {
      if (op.id() == failing.id() || linearized.contains(op.id())) continue;
      if (op.callPosition() < failing.returnPosition() && op.returnPosition() > failing.returnPosition()
          && op.outcome() != Operation.Outcome.FAIL) {
        attempts.add(attempt(op, "can follow, but then read 99 still fails"));
      }
    }
    return new Counterexample("cas-register", key, "nil", ops, steps, failing, failing.returnPosition(), attempts);
  }
}
