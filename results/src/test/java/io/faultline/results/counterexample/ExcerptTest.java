package io.faultline.results.counterexample;

import static io.faultline.results.counterexample.Samples.attempt;
import static io.faultline.results.counterexample.Samples.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Counterexample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptTest {

  @Test
  void smallHistoryIsDrawnWhole() {
    Excerpt w = Excerpt.of(Samples.staleRead("x"));
    assertEquals(5, w.drawn.size());
    assertEquals(List.of(0L, 1L, 2L, 3L), w.processes);
    assertEquals(0, w.hiddenBefore + w.hiddenWithin + w.hiddenAfter);
  }

  /**
   * A long sequential history on two processes, with an indeterminate write from the very start that
   * could not follow: the window is the failure's neighbourhood, the old write is drawn (it is an
   * attempt), and everything else is counted, not drawn.
   */
  @Test
  void windowIsTheFailuresNeighbourhood() {
    Samples.H h = new Samples.H("k");
    h.invoke(99, "write", 7L);
    for (int i = 0; i < 5000; i++) h.invoke(0, "write", (long) i).ok(0, "write", (long) i);
    h.invoke(1, "read", null).ok(1, "read", 7L);
    for (int i = 0; i < 50; i++) h.invoke(0, "write", 1L).ok(0, "write", 1L);
    h.info(99, "write", 7L);
    List<Operation> ops = h.operations();
    Operation old = ops.get(0);
    Operation read = ops.get(5001);
    List<Counterexample.Step> steps = new ArrayList<>();
    for (int i = 1; i <= 5000; i++) steps.add(step(ops.get(i), Long.toString(i - 1)));
    Counterexample cx = new Counterexample("register", "k", "nil", ops, steps, read, read.returnPosition(),
        List.of(attempt(read, "read 7 but state is 4999"), attempt(old, "then read 7 still fails")));
    Excerpt w = Excerpt.of(cx);

    assertTrue(w.drawn.contains(read));
    assertTrue(w.drawn.contains(old), "the old indeterminate attempt is drawn");
    assertEquals(1, w.earlyOpen);
    // The last steps are drawn, and only a bounded neighbourhood besides.
    for (int i = 5000 - Excerpt.TAIL_STEPS + 1; i <= 5000; i++) assertTrue(w.drawn.contains(ops.get(i)), "step " + i);
    assertFalse(w.drawn.contains(ops.get(100)));
    assertEquals(Excerpt.AFTER, w.drawn.stream().filter(o -> o.callPosition() > read.returnPosition()).count());
    assertTrue(w.drawn.size() <= Excerpt.MAX_OPS);
    assertEquals(ops.size(), w.drawn.size() + w.hiddenBefore + w.hiddenWithin + w.hiddenAfter);
    assertEquals(50 - Excerpt.AFTER, w.hiddenAfter);
    assertEquals(List.of(0L, 1L, 99L), w.processes);
  }

  @Test
  void budgetHoldsWhenTheFailingOperationIsVeryLong() {
    // A read open across 10,000 other operations: the window cannot be all of them.
    Samples.H h = new Samples.H("k");
    h.invoke(1, "read", null);
    for (int i = 0; i < 10_000; i++) h.invoke(0, "write", (long) i).ok(0, "write", (long) i);
    h.ok(1, "read", -1L);
    List<Operation> ops = h.operations();
    Operation read = ops.get(0);
    Counterexample cx = new Counterexample("register", "k", "nil", ops,
        List.of(step(ops.get(10_000), "9999")), read, read.returnPosition(), List.of(attempt(read, "never written")));
    Excerpt w = Excerpt.of(cx);
    assertEquals(Excerpt.MAX_OPS, w.drawn.size());
    assertTrue(w.drawn.contains(read));
    assertTrue(w.drawn.contains(ops.get(10_000)), "the nearest operations win");
    assertTrue(w.hiddenWithin > 9_000);
    // And the page says so.
    String page = CounterexamplePage.render(Samples.analysis(cx), "t");
    assertTrue(page.contains("in this range, to keep the drawing small"));
  }
}
