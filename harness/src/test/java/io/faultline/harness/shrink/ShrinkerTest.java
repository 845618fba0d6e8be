package io.faultline.harness.shrink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shrinker on simulated runs: smaller and still failing the same check, deterministic, and refusing what it cannot shrink. */
class ShrinkerTest {
  @TempDir
  Path tmp;

  private RunResult run(TestSpec spec, Path store) throws Exception {
    return new Runner(spec, new Store(store), null, List.of("test"), Runner.Keep.ALWAYS, 1).run();
  }

  private static TestSpec toyLocalRead(long seed) {
    return TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "toy", "bug", "local-read", "time-limit", "10s",
        "seed", seed));
  }

  @Test
  void theScheduleMadeExplicitRunsTheSameRunAsTheDrawnOne() throws Exception {
    TestSpec drawn = TestSpec.SIMULATION_DEFAULTS.with(Map.of("time-limit", "8s", "seed", 5));
    RunResult a = run(drawn, tmp.resolve("a"));
    RunResult b = run(Shrinker.explicit(drawn), tmp.resolve("b"));
    assertEquals(Files.readString(a.dir().resolve(Store.HISTORY)), Files.readString(b.dir().resolve(Store.HISTORY)));
  }

  @Test
  void aFailingRunShrinksToASmallerOneThatFailsTheSameCheckAndReproduces() throws Exception {
    Path store = tmp.resolve("store");
    TestSpec spec = toyLocalRead(2);
    RunResult original = run(spec, store);
    assertEquals(Validity.FALSE, original.validity(), original.summary());
    Shrinker.Outcome first = new Shrinker(new Store(store), 200, Duration.ofMinutes(5), null).shrink(spec);
    assertEquals(Validity.FALSE, first.result().validity());
    assertTrue(first.result().failed().contains("register"), first.result().failed().toString());
    assertTrue(first.to().faults() < first.from().faults() || first.to().operations() < first.from().operations(),
        first.line());
    assertTrue(first.to().operations() < first.from().operations() / 2, first.line());
    assertEquals(store.resolve("toy-local-read-register/seed-2-shrunk"), first.result().dir());
    assertTrue(Files.readString(first.result().dir().resolve(Store.RESULTS)).contains("\"shrunk\""));
    // The same run shrinks the same way: every candidate is a function of its spec.
    Shrinker.Outcome second = new Shrinker(new Store(tmp.resolve("again")), 200, Duration.ofMinutes(5), null).shrink(spec);
    assertEquals(first.line(), second.line());
    assertEquals(first.spec(), second.spec());
    // The smallest run is a stored run like any other: rerun, it fails the same way.
    RunResult rerun = run(first.spec(), tmp.resolve("rerun"));
    assertEquals(Validity.FALSE, rerun.validity());
    assertEquals(first.result().operations(), rerun.operations());
  }

  @Test
  void aBudgetOfRunsStopsTheSearchAndSaysSo() throws Exception {
    Shrinker.Outcome o = new Shrinker(new Store(tmp.resolve("s")), 3, Duration.ofMinutes(5), null).shrink(toyLocalRead(2));
    assertEquals(3, o.runs());
    assertTrue(o.line().contains("the budget of 3 runs is spent"), o.line());
    assertEquals(Validity.FALSE, o.result().validity());
  }

  @Test
  void aPassingRunOrARealOneIsRefused() {
    TestSpec passing = TestSpec.SIMULATION_DEFAULTS.with(Map.of("target", "toy", "time-limit", "3s", "seed", 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Shrinker(new Store(tmp), 10, Duration.ofMinutes(1), null).shrink(passing));
    assertTrue(e.getMessage().startsWith("the run does not fail when run again (true"), e.getMessage());
    IllegalArgumentException real = assertThrows(IllegalArgumentException.class,
        () -> new Shrinker(new Store(tmp), 10, Duration.ofMinutes(1), null).shrink(TestSpec.DEFAULTS.withSeed(1)));
    assertTrue(real.getMessage().startsWith("shrink needs a simulated run (--runtime sim)"), real.getMessage());
  }
}
