package io.faultline.harness.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.Validity;
import io.faultline.checkers.history.HistoryWriter;
import io.faultline.checkers.history.Op;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static SimConfig toy(long seed) {
    return SimConfig.of("toy", seed).withDuration(Duration.ofSeconds(10));
  }

  private static String jsonLines(SimResult r) {
    StringBuilder sb = new StringBuilder();
    for (Op op : r.history()) sb.append(HistoryWriter.toJsonLine(op)).append('\n');
    return sb.toString();
  }

  @Test
  void smoke() {
    SimResult r = Simulation.run(new ToyProtocol(), toy(1));
    System.out.println(r.validity() + " " + r.summary() + " ops " + r.operations() + " faults " + r.faults()
        + " events " + r.events() + " sim " + r.simulatedNanos() / 1e9 + " wall " + r.wallNanos() / 1e9);
    assertEquals(Validity.TRUE, r.validity(), r.summary());
    String j = jsonLines(r);
    System.out.println(j.substring(0, 3000));
    j.lines().filter(l -> l.contains("nemesis")).forEach(System.out::println);
    System.out.println(r.nodeLogs().get("n1").substring(0, 2000));
  }
}
