package io.faultline.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.nemesis.Action.Link;
import io.faultline.nemesis.Nemesis.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NemesisTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

  /** Records every call as one line; throws for the calls it is told to refuse. */
  static final class RecordingFabric implements Fabric {
    final List<String> calls = new ArrayList<>();
    final Set<String> refuse = new TreeSet<>();
    Set<FaultKind> supported = EnumSet.allOf(FaultKind.class);
    Map<String, Set<String>> lastGrudge;

    private void call(String what) {
      calls.add(what);
      for (String r : refuse) {
        if (what.startsWith(r)) {
          if (r.startsWith("clock")) throw new UnsupportedOperationException();
          throw new FaultException("cannot " + what + ": refused");
        }
      }
    }

    @Override
    public List<String> nodes() {
      return FIVE;
    }

    @Override
    public Set<FaultKind> supported() {
      return supported;
    }

    @Override
    public void partition(Map<String, Set<String>> grudge) {
      lastGrudge = grudge;
      call("partition " + grudge);
    }

    @Override
    public void heal() {
      call("heal");
    }

    @Override
    public void kill(String node) {
      call("kill " + node);
    }

    @Override
    public void start(String node) {
      call("start " + node);
    }

    @Override
    public void pause(String node) {
      call("pause " + node);
    }

    @Override
    public void resume(String node) {
      call("resume " + node);
    }

    @Override
    public void clockOffset(String node, Duration offset) {
      call("clock " + node + " " + offset.toMillis());
    }

    @Override
    public void packets(String from, String to, PacketFault fault) {
      call("packets " + from + ">" + to + " " + (fault.equals(PacketFault.NONE) ? "NONE"
          : Math.round(fault.loss() * 100) + "% " + fault.delay().toMillis() + "ms~" + fault.jitter().toMillis() + "ms"));
    }
  }

  private final RecordingFabric fabric = new RecordingFabric();
  private final AtomicReference<String> leader = new AtomicReference<>();
  private final Nemesis nemesis = new Nemesis(fabric, leader::get, 1);

  private static NemesisSchedule.Step step(FaultKind kind, Action action) {
    return new NemesisSchedule.Step(0, kind, action);
  }

  private List<Event> apply(FaultKind kind, Action action) {
    return nemesis.apply(step(kind, action));
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void aPartitionStepPartitionsByTheShapesGrudge() {
    List<String> ring = List.of("n3", "n1", "n5", "n2", "n4");
    List<Event> events = apply(FaultKind.PARTITION, new Action.StartPartition("majorities-ring", ring));
    var expected = Grudges.majoritiesRing(ring);
    assertEquals(new TreeMap<>(expected), new TreeMap<>(fabric.lastGrudge));
    assertEquals(List.of("partition " + expected), fabric.calls);
    // n3 hears n4 and n1 on each side, and not n5, n2.
    assertEquals(Set.of("n5", "n2"), fabric.lastGrudge.get("n3"));
    Event e = events.get(0);
    assertEquals("start-partition", e.f());
    assertEquals(new Grudges.Partition("majorities-ring", expected).value(), e.value());
    assertEquals(List.of("shape", "grudge"), new ArrayList<>(((Map<?, ?>) e.value()).keySet()));
    assertEquals("partition majorities-ring", nemesis.inForce());

    assertEquals(List.of(new Event("stop-partition", map("shape", "majorities-ring"))),
        apply(FaultKind.PARTITION, new Action.StopPartition()));
    assertEquals("heal", fabric.calls.get(fabric.calls.size() - 1));
    assertEquals("none", nemesis.inForce());
  }

  @Test
  void theLeaderIsolatedIsTheOneTheSupplierNames() {
    leader.set("n4");
    apply(FaultKind.PARTITION, new Action.StartPartition("isolated-leader", FIVE));
    assertEquals(Set.of("n1", "n2", "n3", "n5"), fabric.lastGrudge.get("n4"));
    assertEquals(Set.of("n4"), fabric.lastGrudge.get("n2"));
  }

  @Test
  void killingTheLeaderKillsWhatTheSupplierSaysAndStartBringsItBack() {
    leader.set("n3");
    List<Event> kill = apply(FaultKind.KILL, new Action.Kill("leader", List.of()));
    assertEquals(List.of("kill n3"), fabric.calls);
    assertEquals(List.of(new Event("kill", map("nodes", List.of("n3"), "target", "leader"))), kill);
    assertEquals("killed n3", nemesis.inForce());
    List<Event> start = apply(FaultKind.KILL, Action.Restart.all());
    assertEquals(List.of("kill n3", "start n3"), fabric.calls);
    assertEquals(List.of(new Event("start", map("nodes", List.of("n3")))), start);
    assertEquals("none", nemesis.inForce());
  }

  @Test
  void anUnknownOrStrangeLeaderFallsBackToAClusterNode() {
    leader.set("n9");
    apply(FaultKind.KILL, new Action.Kill("leader", List.of()));
    leader.set(null);
    apply(FaultKind.PAUSE, new Action.Pause("leader", List.of()));
    assertEquals(2, fabric.calls.size());
    assertTrue(FIVE.contains(fabric.calls.get(0).substring("kill ".length())), fabric.calls.toString());
    assertTrue(fabric.calls.get(1).startsWith("pause "), fabric.calls.toString());
    // The fallback is drawn from the seed: another nemesis with the same seed picks the same node.
    RecordingFabric other = new RecordingFabric();
    new Nemesis(other, () -> null, 1).apply(step(FaultKind.KILL, new Action.Kill("leader", List.of())));
    assertEquals(fabric.calls.get(0), other.calls.get(0));
  }

  @Test
  void eventsHaveTheDocumentedShapes() {
    assertEquals(List.of(new Event("kill", map("nodes", List.of("n1", "n4"), "target", "minority"))),
        apply(FaultKind.KILL, new Action.Kill("minority", List.of("n1", "n4"))));
    // n1 is dead: only n2 is frozen.
    assertEquals(List.of(new Event("pause", map("nodes", List.of("n2"), "target", "majority"))),
        apply(FaultKind.PAUSE, new Action.Pause("majority", List.of("n1", "n2"))));
    Map<String, Long> offsets = new LinkedHashMap<>();
    offsets.put("n2", 3_000L);
    offsets.put("n5", -1_500L);
    assertEquals(List.of(new Event("bump-clock", map("n2", 3_000L, "n5", -1_500L))),
        apply(FaultKind.CLOCK, new Action.BumpClock(offsets, false)));
    List<Link> n5 = List.of(new Link("n1", "n5"), new Link("n5", "n1"));
    assertEquals(List.of(new Event("start-loss", map("loss-percent", 30L, "duplicate-percent", 0L, "scope", "n5",
        "links", List.of(List.of("n1", "n5"), List.of("n5", "n1"))))),
        apply(FaultKind.LOSS, new Action.StartLoss(30, 0, "n5", n5)));
    assertEquals(List.of(new Event("start-latency", map("delay-ms", 200L, "jitter-ms", 50L, "scope", "n5",
        "links", List.of(List.of("n1", "n5"))))),
        apply(FaultKind.LATENCY, new Action.StartLatency(200, 50, "n5", List.of(new Link("n1", "n5")))));
    assertEquals("killed n1,n4; paused n2; clock n2+3s,n5-1.5s; loss 30% n5; latency 200ms~50ms n5", nemesis.inForce());

    assertEquals(List.of(new Event("reset-clock", map("n2", 0L, "n5", 0L))), apply(FaultKind.CLOCK, new Action.ResetClock()));
    assertEquals(List.of(new Event("resume", map("nodes", List.of("n2")))), apply(FaultKind.PAUSE, new Action.Resume()));
    // Loss ends but the latency on n1>n5 stays.
    int before = fabric.calls.size();
    assertEquals(List.of(new Event("stop-loss", map("links", List.of(List.of("n1", "n5"), List.of("n5", "n1"))))),
        apply(FaultKind.LOSS, new Action.StopLoss()));
    assertEquals(List.of("packets n1>n5 0% 200ms~50ms", "packets n5>n1 NONE"), fabric.calls.subList(before, fabric.calls.size()));
    assertEquals(List.of(new Event("stop-latency", map("links", List.of(List.of("n1", "n5"))))),
        apply(FaultKind.LATENCY, new Action.StopLatency()));
    assertEquals("packets n1>n5 NONE", fabric.calls.get(fabric.calls.size() - 1));
    assertEquals("killed n1,n4", nemesis.inForce());
  }

  @Test
  void lossAndLatencyOnOneLinkAreSetTogether() {
    apply(FaultKind.LATENCY, new Action.StartLatency(100, 10, "all", List.of(new Link("n2", "n3"))));
    apply(FaultKind.LOSS, new Action.StartLoss(20, 0, "all", List.of(new Link("n2", "n3"))));
    assertEquals(List.of("packets n2>n3 0% 100ms~10ms", "packets n2>n3 20% 100ms~10ms"), fabric.calls);
  }

  @Test
  void healAllUndoesEveryFaultEvenWithoutTheirStops() {
    leader.set("n5");
    apply(FaultKind.PARTITION, new Action.StartPartition("halves", FIVE));
    apply(FaultKind.KILL, new Action.Kill("leader", List.of()));
    apply(FaultKind.PAUSE, new Action.Pause("minority", List.of("n1", "n2")));
    apply(FaultKind.CLOCK, new Action.BumpClock(Map.of("n3", 4_000L), false));
    apply(FaultKind.LOSS, new Action.StartLoss(25, 0, "n4", List.of(new Link("n4", "n1"), new Link("n1", "n4"))));
    apply(FaultKind.LATENCY, new Action.StartLatency(300, 0, "n2", List.of(new Link("n2", "n3"))));
    fabric.calls.clear();

    List<Event> events = nemesis.healAll();
    assertEquals(List.of("heal", "packets n1>n4 NONE", "packets n4>n1 NONE", "packets n2>n3 NONE", "clock n3 0",
        "resume n1", "resume n2", "start n5"), fabric.calls);
    List<String> fs = new ArrayList<>();
    for (Event e : events) fs.add(e.f());
    assertEquals(List.of("stop-partition", "stop-loss", "stop-latency", "reset-clock", "resume", "start"), fs);
    assertEquals("none", nemesis.inForce());
    // Spent: a schedule thread that goes on cannot start another fault.
    assertEquals(List.of(), apply(FaultKind.KILL, new Action.Kill("all", FIVE)));
    assertEquals(List.of("heal", "packets n1>n4 NONE", "packets n4>n1 NONE", "packets n2>n3 NONE", "clock n3 0",
        "resume n1", "resume n2", "start n5"), fabric.calls);
    assertEquals(List.of(), nemesis.healAll());
  }

  @Test
  void aKilledPausedNodeIsStartedNotResumed() {
    apply(FaultKind.PAUSE, new Action.Pause("one", List.of("n2")));
    apply(FaultKind.KILL, new Action.Kill("one", List.of("n2")));
    fabric.calls.clear();
    nemesis.healAll();
    assertEquals(List.of("start n2"), fabric.calls);
  }

  @Test
  void aFabricThatRefusesYieldsAnErrorAndTheRunGoesOn() {
    fabric.refuse.add("kill n2");
    fabric.refuse.add("clock");
    List<Event> kill = apply(FaultKind.KILL, new Action.Kill("majority", List.of("n1", "n2", "n3")));
    // The refusal of n2 does not stop n3.
    assertEquals(List.of("kill n1", "kill n2", "kill n3"), fabric.calls);
    assertEquals(map("nodes", List.of("n1", "n2", "n3"), "target", "majority", "error", "cannot kill n2: refused"),
        kill.get(0).value());
    List<Event> clock = apply(FaultKind.CLOCK, new Action.BumpClock(Map.of("n1", 2_000L), false));
    assertEquals(map("n1", 2_000L, "error", "UnsupportedOperationException"), clock.get(0).value());

    // A failed undo is remembered, and the next healAll tries again.
    fabric.refuse.clear();
    fabric.refuse.add("start n1");
    List<Event> first = nemesis.healAll();
    assertEquals(new Event("start", map("nodes", List.of("n1", "n2", "n3"), "error", "cannot start n1: refused")),
        first.get(first.size() - 1));
    assertEquals("killed n1", nemesis.inForce());
    fabric.refuse.clear();
    fabric.calls.clear();
    assertEquals(List.of(new Event("start", map("nodes", List.of("n1")))), nemesis.healAll());
    assertEquals(List.of("start n1"), fabric.calls);
  }

  @Test
  void aNemesisWithNoFabricRecordsUnsupportedFaultsWithoutThrowing() {
    Nemesis none = new Nemesis(Fabric.none(FIVE), () -> "n1", 3);
    List<Event> e = none.apply(step(FaultKind.PARTITION, new Action.StartPartition("halves", FIVE)));
    assertEquals("this runtime cannot partition the network", ((Map<?, ?>) e.get(0).value()).get("error"));
    List<Event> healed = none.healAll();
    assertEquals(List.of(new Event("stop-partition", map("shape", "halves"))), healed);
  }

  @Test
  void aWholeScheduleAppliesWithOneEventPerStepAndHealsClean() {
    NemesisSchedule schedule = NemesisSchedule.draw(EnumSet.allOf(FaultKind.class), FIVE, Duration.ofSeconds(5),
        Duration.ofSeconds(60), 9);
    leader.set("n2");
    for (var s : schedule.steps()) {
      List<Event> events = nemesis.apply(s);
      assertEquals(1, events.size());
      assertEquals(s.f(), events.get(0).f());
      assertFalse(((Map<?, ?>) events.get(0).value()).containsKey("error"), events.toString());
    }
    assertEquals("none", nemesis.inForce());
    assertEquals(List.of(), nemesis.healAll());
  }

  @Test
  void requireSupportedNamesWhatTheRuntimeCannotDo() {
    fabric.supported = EnumSet.of(FaultKind.PARTITION, FaultKind.KILL);
    Nemesis.requireSupported(fabric, EnumSet.of(FaultKind.KILL));
    var e = assertThrows(IllegalArgumentException.class,
        () -> Nemesis.requireSupported(fabric, EnumSet.of(FaultKind.KILL, FaultKind.CLOCK, FaultKind.LATENCY)));
    assertEquals("this runtime cannot apply --nemesis clock, latency (it offers partition, kill)", e.getMessage());
    var none = assertThrows(IllegalArgumentException.class,
        () -> Nemesis.requireSupported(Fabric.none(FIVE), EnumSet.of(FaultKind.PAUSE)));
    assertEquals("this runtime cannot apply --nemesis pause (it offers no faults)", none.getMessage());
  }
}
