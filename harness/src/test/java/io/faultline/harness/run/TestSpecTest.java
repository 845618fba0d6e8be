package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.nemesis.FaultKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestSpecTest {
  @Test
  void theDefaultsAreThreeRaftNodesARegisterPartitionsAndKillsForAMinute() {
    TestSpec d = TestSpec.DEFAULTS;
    assertEquals("raft", d.target());
    assertEquals("local", d.runtime());
    assertEquals(3, d.nodes());
    assertEquals("register", d.workload());
    assertEquals(EnumSet.of(FaultKind.PARTITION, FaultKind.KILL), EnumSet.copyOf(d.nemesis()));
    assertEquals(Duration.ofSeconds(60), d.timeLimit());
    assertEquals("raft-register", d.name());
  }

  @Test
  void aSpecSurvivesTheRoundTripThroughItsMap() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("nodes", 5);
    o.put("nemesis", "partition,clock");
    o.put("time-limit", "90s");
    o.put("nemesis-interval", "1500ms");
    o.put("rate", 12.5);
    o.put("seed", 42);
    o.put("bug", List.of("stale-read"));
    o.put("set", Map.of("read", "lease"));
    o.put("routing", "leader");
    TestSpec s = TestSpec.DEFAULTS.with(o);
    assertEquals(5, s.nodes());
    assertEquals(Duration.ofMillis(1500), s.nemesisInterval());
    assertEquals(42, s.seed());
    assertEquals("raft-stale-read-register", s.name());
    assertEquals(s, TestSpec.DEFAULTS.with(s.toMap()));
    assertEquals(List.of("partition", "clock"), s.toMap().get("nemesis"));
  }

  @Test
  void laterOverridesWinAndMissingOnesKeepWhatWasThere() {
    TestSpec fromFile = TestSpec.DEFAULTS.with(Map.of("nodes", 5, "concurrency", 10));
    Map<String, Object> cli = new LinkedHashMap<>();
    cli.put("nodes", 7);
    cli.put("concurrency", null);
    TestSpec s = fromFile.with(cli);
    assertEquals(7, s.nodes());
    assertEquals(10, s.concurrency());
  }

  @Test
  void badValuesAreRefusedWithTheOptionNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestSpec.DEFAULTS.with(Map.of("time-limit", "soon")));
    assertTrue(e.getMessage().startsWith("time-limit:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TestSpec.DEFAULTS.with(Map.of("nodez", 3)));
    assertTrue(e.getMessage().contains("nodez") && e.getMessage().contains("nodes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TestSpec.DEFAULTS.with(Map.of("nodes", 0)));
    assertTrue(e.getMessage().startsWith("nodes must be a whole number from 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TestSpec.DEFAULTS.with(Map.of("nemesis", "meteor")));
    assertTrue(e.getMessage().contains("meteor"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestSpec.DEFAULTS.with(Map.of("set", "read")));
  }

  @Test
  void faultKindsIterateInTheEnumsOrderSoDrawsPerKindAreRepeatable() {
    TestSpec spec = TestSpec.SIMULATION_DEFAULTS.with(java.util.Map.of("nemesis", "pause,partition,clock,kill"));
    java.util.List<io.faultline.nemesis.FaultKind> order = new java.util.ArrayList<>(spec.nemesis());
    java.util.List<io.faultline.nemesis.FaultKind> sorted = new java.util.ArrayList<>(order);
    sorted.sort(null);
    org.junit.jupiter.api.Assertions.assertEquals(sorted, order);
  }
}
