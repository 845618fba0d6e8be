package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.fail;

import io.faultline.checkers.Validity;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each planted Raft bug, against real processes, with the faults that expose it: seeds from 1 up,
 * a minute each, until the run is invalid. Prints the command and how long catching took. Only in
 * the long profile ({@code mvn -B test -Plong}), since each case takes minutes.
 *
 * <p>{@code lease-wallclock} is caught since every partition steps the leader's clock back right
 * after the cut and libfaketime runs uncached (an offset lands at the node's next clock reading);
 * measured: seed 2 of 1 to 3. Not here: {@code forget-vote}, whose double vote needs a voter killed
 * right after it voted, which only the simulator's fault points do (real processes report no
 * events).
 */
@EnabledIfSystemProperty(named = "faultline.long", matches = "true")
class PlantedBugsLongTest {
  private static final int SEEDS = 5;

  @TempDir Path store;

  @ParameterizedTest(name = "{0} under {1}")
  @CsvSource({
      "stale-read, partition",
      "no-fsync, kill",
      "lease-wallclock, partition;clock"})
  void eachBugIsCaughtWithItsFaults(String bug, String nemesis) throws Exception {
    String kinds = nemesis.replace(';', ',');
    long began = System.nanoTime();
    for (long seed = 1; seed <= SEEDS; seed++) {
      TestSpec spec = TestSpec.DEFAULTS.with(Map.of("bug", bug, "nemesis", kinds, "nemesis-interval", "2s",
          "time-limit", "60s", "seed", seed));
      Preflight.check(spec);
      RunResult r = new Runner(spec, new Store(store), new PrintWriter(new StringWriter()), List.of()).run();
      if (r.validity() == Validity.FALSE) {
        System.out.printf("planted bug %s caught by seed %d after %.0f s: faultline test --bug %s --nemesis %s"
            + " --nemesis-interval 2s --time-limit 60s --seed %d (%s)%n", bug, seed, (System.nanoTime() - began) / 1e9,
            bug, kinds, seed, r.summary());
        return;
      }
    }
    fail(bug + " was not caught by seeds 1.." + SEEDS + " under " + kinds);
  }
}
