package io.faultline.workloads.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GeneratorsTest {
  private static final long MS = 1_000_000L;

  private static Generator reads() {
    return Generators.repeat(r -> new Template("read", null, null));
  }

  private static Generator writes() {
    return Generators.repeat(r -> new Template("write", null, (long) r.nextInt(100)));
  }

  private static List<String> fs(Drive.Run run) {
    List<String> out = new ArrayList<>();
    for (Op op : run.invocations()) out.add(op.f());
    return out;
  }

  @Test
  void repeatYieldsOnFreeProcessesOnlyAndWaitsWhenNoneIsFree() {
    Drive.Run run = Drive.run(reads(), 3, 10 * MS, 1, 9);
    assertEquals(9, run.invocations().size());
    // Three workers, 10 ms per operation: three at 0, three at 10 ms, three at 20 ms.
    for (int i = 0; i < 9; i++) assertEquals((i / 3) * 10 * MS, run.invocations().get(i).time());
    Next none = reads().next(new Context(0, List.of(), 3, new Random(1)));
    assertEquals(Next.WHEN_FREE, assertInstanceOf(Next.Pending.class, none).untilNanos());
  }

  @Test
  void eachYieldsTheTemplatesInOrderThenIsExhausted() {
    List<Template> ts = List.of(new Template("read", "a", null), new Template("read", "b", null),
        new Template("write", "c", 1L));
    Drive.Run run = Drive.run(Generators.each(ts), 1, MS, 1, 100);
    assertEquals(3, run.invocations().size());
    for (int i = 0; i < 3; i++) assertEquals(ts.get(i), Template.of(run.invocations().get(i)));
    assertInstanceOf(Next.Exhausted.class, Generators.each(List.of()).next(new Context(0, List.of(0L), 1, new Random(1))));
  }

  @Test
  void mixChoosesAmongItsGeneratorsAndDropsExhaustedOnes() {
    Drive.Run run = Drive.run(Generators.mix(List.of(reads(), writes())), 2, MS, 7, 1000);
    long reads = fs(run).stream().filter("read"::equals).count();
    assertTrue(reads > 400 && reads < 600, "uniform mix gave " + reads + " reads of 1000");
    Drive.Run finite = Drive.run(Generators.mix(List.of(
        Generators.once(new Template("read", null, null)), Generators.once(new Template("write", null, 1L)))), 1, MS, 7, 100);
    List<String> both = new ArrayList<>(fs(finite));
    both.sort(null);
    assertEquals(List.of("read", "write"), both);
    assertThrows(IllegalArgumentException.class, () -> Generators.mix(List.of()));
  }

  @Test
  void staggerSpacesOperationsWithTheGivenMeanGap() {
    // Many workers and instant completions: only the stagger sets the pace.
    Drive.Run run = Drive.run(Generators.stagger(Duration.ofMillis(10), reads()), 50, 0, 3, 2000);
    List<Op> ops = run.invocations();
    for (int i = 1; i < ops.size(); i++) {
      long gap = ops.get(i).time() - ops.get(i - 1).time();
      assertTrue(gap >= 0 && gap < 20 * MS, "gap " + gap + " outside [0, 20 ms)");
    }
    double meanGap = (double) ops.get(ops.size() - 1).time() / (ops.size() - 1);
    assertTrue(meanGap > 9 * MS && meanGap < 11 * MS, "mean gap " + meanGap / MS + " ms, expected about 10");
  }

  @Test
  void limitYieldsExactlyN() {
    assertEquals(5, Drive.run(Generators.limit(5, reads()), 2, MS, 1, 100).invocations().size());
    assertEquals(0, Drive.run(Generators.limit(0, reads()), 2, MS, 1, 100).invocations().size());
  }

  @Test
  void timeLimitStopsAtItsDeadlineCountedFromTheFirstQuestion() {
    Generator g = Generators.timeLimit(Duration.ofSeconds(1), Generators.stagger(Duration.ofMillis(20), reads()));
    Drive.Run run = Drive.run(Generators.phases(Generators.sleep(Duration.ofSeconds(2)), g), 4, MS, 5, 10_000);
    List<Op> ops = run.invocations();
    assertTrue(ops.size() > 30, "only " + ops.size() + " ops in one second at one per 20 ms");
    for (Op op : ops) {
      assertTrue(op.time() >= 2_000 * MS && op.time() < 3_000 * MS, "op at " + op.time() / MS + " ms, outside [2 s, 3 s)");
    }
  }

  @Test
  void sleepWaitsThenIsExhausted() {
    Drive.Run run = Drive.run(Generators.phases(Generators.sleep(Duration.ofMillis(300)),
        Generators.once(new Template("read", null, null))), 1, MS, 1, 10);
    assertEquals(1, run.invocations().size());
    assertEquals(300 * MS, run.invocations().get(0).time());
  }

  @Test
  void phasesWaitForEveryOperationOfAPhaseToCompleteBeforeTheNext() {
    Generator g = Generators.phases(Generators.limit(5, reads()), Generators.once(new Template("write", null, 1L)));
    Drive.Run run = Drive.run(g, 2, 10 * MS, 1, 100);
    assertEquals(List.of("read", "read", "read", "read", "read", "write"), fs(run));
    long lastReadDone = 0;
    for (int i = 0; i < 5; i++) lastReadDone = Math.max(lastReadDone, run.completions().get(i));
    assertEquals(lastReadDone, run.invocations().get(5).time(), "the write starts when the last read completes");
  }

  @Test
  void independentStampsKeysAndKeepsEachKeysOwnState() {
    Generator g = Generators.independent(List.of("x", "y", "z"), k -> Generators.limit(4, reads()));
    Drive.Run run = Drive.run(g, 3, MS, 9, 100);
    TreeMap<Object, Integer> perKey = new TreeMap<>();
    for (Op op : run.invocations()) perKey.merge(op.key(), 1, Integer::sum);
    assertEquals(4, perKey.get("x"));
    assertEquals(4, perKey.get("y"));
    assertEquals(4, perKey.get("z"));
    assertEquals(12, run.invocations().size());
    // Interleaved, not one key after another.
    List<Object> firstSix = new ArrayList<>();
    for (int i = 0; i < 6; i++) firstSix.add(run.invocations().get(i).key());
    assertTrue(firstSix.stream().distinct().count() > 1, "keys not spread: " + firstSix);
  }

  @Test
  void theSameSeedGivesTheSameOperationsAndAnotherSeedOthers() {
    Generator g = Generators.stagger(Duration.ofMillis(5),
        Generators.independent(List.of("a", "b"), k -> Generators.mix(List.of(reads(), writes()))));
    Drive.Run one = Drive.run(g, 4, 3 * MS, 42, 500);
    Drive.Run again = Drive.run(g, 4, 3 * MS, 42, 500);
    Drive.Run other = Drive.run(g, 4, 3 * MS, 43, 500);
    assertEquals(one.invocations(), again.invocations());
    assertNotEquals(one.invocations(), other.invocations());
  }

  @Test
  void aGeneratorIsAValueAskingItTwiceGivesTheSameAnswer() {
    Generator g = Generators.limit(3, Generators.stagger(Duration.ofMillis(5), writes()));
    Next first = g.next(new Context(0, List.of(0L, 1L), 2, new Random(5)));
    Next second = g.next(new Context(0, List.of(0L, 1L), 2, new Random(5)));
    assertEquals(assertInstanceOf(Next.Invoke.class, first).op(), assertInstanceOf(Next.Invoke.class, second).op());
  }

  @Test
  void anInvokeMustBeATimedClientInvocation() {
    Op untimed = new Template("read", null, null).invocation(0, 0).withIndex(0);
    assertThrows(IllegalArgumentException.class, () -> new Next.Invoke(
        new Op(-1, -1, untimed.type(), 0L, "read", null, null, null, null, 0), reads()));
    assertThrows(IllegalArgumentException.class, () -> new Context(0, List.of(0L, 1L), 1, new Random(1)));
  }
}
