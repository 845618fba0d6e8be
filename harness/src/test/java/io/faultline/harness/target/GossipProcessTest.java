package io.faultline.harness.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.harness.cli.Main;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gossip store as real processes: the default faults on a last-writer-wins register, valid,
 * with every key converged after the heal and the time it took in results.json. The planted bugs
 * are {@code GossipSimulationTest}'s.
 */
class GossipProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void convergesAfterTheHeal() throws Exception {
    assertEquals(0, faultline(List.of()), "the correct gossip store on real processes");
    Map<?, ?> convergence = (Map<?, ?>) capBase().get("convergence");
    Map<?, ?> distribution = (Map<?, ?>) convergence.get("distribution");
    assertEquals(4, ((Number) distribution.get("count")).intValue(), "every key converged: " + convergence);
    assertTrue(((Number) distribution.get("max")).doubleValue() < 5_000, "within the poll window: " + distribution);
  }

  private Map<?, ?> capBase() throws Exception {
    Map<?, ?> results = JSON.readValue(tmp.resolve("store").resolve(Store.LATEST).resolve(Store.RESULTS).toFile(), Map.class);
    return (Map<?, ?>) results.get("cap-base");
  }

  private int faultline(List<String> extra) {
    List<String> args = new ArrayList<>(List.of("test", "--target", "gossip", "--workload", "lww-register", "--time-limit",
        "6s", "--nemesis", "partition,kill", "--nemesis-interval", "1s", "--seed", "4", "--store", tmp.resolve("store").toString()));
    args.addAll(extra);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.println(out.toString().lines().reduce((a, b) -> b).orElse("") + err);
    return code;
  }
}
