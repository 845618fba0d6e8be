package io.faultline.harness.runtime.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.Op;
import io.faultline.harness.run.Preflight;
import io.faultline.harness.run.RunResult;
import io.faultline.harness.run.Runner;
import io.faultline.harness.run.TestSpec;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Simulated runs for tests: run a spec, stored whole, and read back what it left. */
final class SimRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimRuns() {}

  /** One run and its files. */
  record Stored(RunResult result, Path dir) {
    List<Op> history() {
      try {
        return HistoryReader.read(dir.resolve(Store.HISTORY), HistoryFormat.JSONL).records();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String nodeLog(String node) {
      try {
        return Files.readString(dir.resolve(Store.NODES).resolve(node).resolve(Store.NODE_LOG));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> check(String name) {
      try {
        Map<String, Object> results = JSON.readValue(dir.resolve(Store.RESULTS).toFile(), Map.class);
        return (Map<String, Object>) ((Map<String, Object>) results.get("checks")).get(name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Stored run(TestSpec spec, Path store) {
    Preflight.check(spec);
    try {
      RunResult r = new Runner(spec, new Store(store), null, List.of("test"), Runner.Keep.ALWAYS, 1).run();
      return new Stored(r, r.dir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run kept only when it does not pass, as in a sweep. */
  static RunResult sweepOne(TestSpec spec, Path store) {
    try {
      return new Runner(spec, new Store(store), null, List.of("test"), Runner.Keep.UNLESS_VALID, 1).run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
