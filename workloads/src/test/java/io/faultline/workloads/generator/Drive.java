package io.faultline.workloads.generator;

import io.faultline.checkers.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;

/**
 * A minimal interpreter for tests: {@code workers} processes, every operation completes {@code
 * latencyNanos} after its invocation time, and time jumps from event to event. It checks the
 * generator contract as it goes (free process, no time travel).
 */
final class Drive {
  private Drive() {}

  /** What was invoked, in order, and when the last operation completed. */
  record Run(List<Op> invocations, List<Long> completions, long endNanos) {}

  static Run run(Generator generator, int workers, long latencyNanos, long seed, int maxOps) {
    Random random = new Random(seed);
    TreeSet<Long> free = new TreeSet<>();
    for (long p = 0; p < workers; p++) free.add(p);
    PriorityQueue<long[]> busy = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<Op> invoked = new ArrayList<>();
    List<Long> completions = new ArrayList<>();
    long now = 0;
    Generator g = generator;
    while (invoked.size() < maxOps) {
      Next n = g.next(new Context(now, new ArrayList<>(free), workers, random));
      if (n instanceof Next.Invoke inv) {
        Op op = inv.op();
        assert op.time() >= now : "invocation in the past: " + op + " at " + now;
        assert free.remove(op.clientProcess()) : "process " + op.process() + " is not free at " + now;
        invoked.add(op);
        busy.add(new long[] {op.time() + latencyNanos, op.clientProcess()});
        completions.add(op.time() + latencyNanos);
        g = inv.rest();
      } else if (n instanceof Next.Pending p) {
        long wake = p.untilNanos();
        if (!busy.isEmpty()) wake = Math.min(wake, busy.peek()[0]);
        assert wake != Next.WHEN_FREE : "pending forever with every process free";
        assert wake >= now : "asked to wake in the past: " + wake + " at " + now;
        now = wake;
        while (!busy.isEmpty() && busy.peek()[0] <= now) free.add(busy.poll()[1]);
        g = p.rest();
      } else {
        break;
      }
    }
    long end = now;
    for (long[] b : busy) end = Math.max(end, b[0]);
    return new Run(invoked, completions, end);
  }
}
