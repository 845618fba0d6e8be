package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.checkers.synthetic.RegisterHistories;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relaxation where an indeterminate operation may take effect any number of times: it refutes
 * what no number of them explains, never more, and its counterexample is a real linearization.
 */
class RelaxedRefutationTest {
  private static final Semantics S = Semantics.JEPSEN;
  private static final Model REGISTER = Models.create("register", 0L, S);

  private static Search search(History h) {
    return new Search(REGISTER, null, h.operations(), System.nanoTime() + 60_000_000_000L, 1L << 30);
  }

  /** Each indeterminate operation of the shown prefix takes effect at most once. */
  private static void assertRealPrefix(Counterexample ce) {
    Set<Operation> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Counterexample.Step step : ce.linearization()) {
      if (step.op().isIndeterminate()) assertTrue(taken.add(step.op()), "taken twice: " + step.op());
    }
  }

  @Test
  void aWriteTakingEffectTwiceIsLinearizableOnlyInTheRelaxation() {
    // The info write of 1 explains the first read of 1; after the write of 2, only taking it effect
    // again would explain the second.
    History h = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .invoke(2, "write", 2L).ok(2, "write", 2L)
        .invoke(1, "read", null).ok(1, "read", 1L).build();
    assertNull(search(h).refuteRelaxed(), "the relaxation lets the write of 1 take effect twice");
    PartitionVerdict exact = search(h).run();
    assertEquals(Validity.FALSE, exact.validity());
    assertFalse(exact.reason().contains("any number of times"), exact.reason());
  }

  @Test
  void aReadNoWriteExplainsIsRefutedByTheRelaxation() {
    History h = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .invoke(1, "read", null).ok(1, "read", 3L).build();
    PartitionVerdict v = search(h).refuteRelaxed();
    assertNotNull(v);
    assertEquals(Validity.FALSE, v.validity());
    assertTrue(v.reason().contains("any number of times"), v.reason());
    assertEquals(3L, v.counterexample().failing().output());
    assertRealPrefix(v.counterexample());
  }

  @Test
  void aPrefixThatTakesAnIndeterminateWriteTwiceIsCutWhereItWouldTakeItAgain() {
    History h = Hist.of().invoke(0, "write", 1L).info(0, "write", 1L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .invoke(2, "write", 2L).ok(2, "write", 2L)
        .invoke(1, "read", null).ok(1, "read", 1L)
        .invoke(1, "read", null).ok(1, "read", 3L).build();
    PartitionVerdict v = search(h).refuteRelaxed();
    assertNotNull(v);
    Counterexample ce = v.counterexample();
    assertRealPrefix(ce);
    assertEquals(3, ce.linearization().size(), "" + ce.linearization());
    assertTrue(ce.attempts().get(0).reason().contains("shorter"), ce.attempts().get(0).reason());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void theHardInfoCaseIsRefutedWithARealPrefix(long seed) {
    RegisterHistories.Spec spec = new RegisterHistories.Spec(seed, 16_000, 8, 1, 0.02, 5);
    History bad = RegisterHistories.corruptOneRead(RegisterHistories.generate(spec), seed);
    Analysis a = new LinearizabilityChecker(Models.create("cas-register", null, S), S).withShrinkBudget(Duration.ZERO)
        .analyze(CheckContext.defaults().withTimeout(Duration.ofSeconds(120)), bad);
    assertEquals(Validity.FALSE, a.validity(), a.partitions().get(0).reason());
    Counterexample ce = a.counterexamples().get(0);
    assertEquals(-1L, ce.failing().output());
    assertRealPrefix(ce);
  }

  @ParameterizedTest
  @ValueSource(longs = {3, 4})
  void theHardInfoCaseUncorruptedStaysLinearizable(long seed) {
    History good = RegisterHistories.generate(new RegisterHistories.Spec(seed, 16_000, 8, 1, 0.02, 5));
    Analysis a = new LinearizabilityChecker(Models.create("cas-register", null, S), S)
        .analyze(CheckContext.defaults().withTimeout(Duration.ofSeconds(120)), good);
    assertEquals(Validity.TRUE, a.validity(), a.partitions().get(0).reason());
  }
}
