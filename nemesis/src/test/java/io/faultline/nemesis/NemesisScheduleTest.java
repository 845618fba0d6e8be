package io.faultline.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NemesisScheduleTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Duration MINUTE = Duration.ofSeconds(60);
  private static final Set<String> STARTS =
      Set.of("start-partition", "kill", "pause", "bump-clock", "start-loss", "start-latency");

  private static NemesisSchedule draw(Set<FaultKind> kinds, long seed) {
    return NemesisSchedule.draw(kinds, FIVE, INTERVAL, MINUTE, seed);
  }

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    Set<FaultKind> all = EnumSet.allOf(FaultKind.class);
    assertEquals(draw(all, 42), draw(all, 42));
    assertEquals(draw(all, 42).describe(), draw(all, 42).describe());
    assertNotEquals(draw(all, 42), draw(all, 43));
    assertNotEquals(draw(all, 42).describe(), draw(all, 43).describe());
  }

  @Test
  void aKindsCyclesDoNotDependOnWhichOtherKindsAreEnabled() {
    List<NemesisSchedule.Step> alone = draw(EnumSet.of(FaultKind.KILL), 7).steps();
    List<NemesisSchedule.Step> mixed = new ArrayList<>();
    for (var s : draw(EnumSet.allOf(FaultKind.class), 7).steps()) if (s.kind() == FaultKind.KILL) mixed.add(s);
    assertEquals(alone, mixed);
  }

  @Test
  void everyRequestedKindAppearsAndNoOther() {
    for (long seed = 0; seed < 20; seed++) {
      for (Set<FaultKind> kinds : List.of(EnumSet.allOf(FaultKind.class), EnumSet.of(FaultKind.PARTITION, FaultKind.KILL),
          EnumSet.of(FaultKind.CLOCK), EnumSet.of(FaultKind.LOSS, FaultKind.LATENCY, FaultKind.PAUSE))) {
        Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
        for (var s : draw(kinds, seed).steps()) seen.add(s.kind());
        assertEquals(kinds, seen, "seed " + seed);
      }
    }
    assertEquals(List.of(), draw(EnumSet.noneOf(FaultKind.class), 1).steps());
  }

  @Test
  void stepsAreSortedAfterTheInitialQuietAndEveryStartStopsInTime() {
    long limit = MINUTE.toNanos();
    for (long seed = 0; seed < 50; seed++) {
      List<NemesisSchedule.Step> steps = draw(EnumSet.allOf(FaultKind.class), seed).steps();
      Map<FaultKind, Long> open = new EnumMap<>(FaultKind.class);
      long last = -1;
      for (var s : steps) {
        assertTrue(s.atNanos() >= last, "unsorted at " + s);
        last = s.atNanos();
        assertTrue(s.atNanos() >= NemesisSchedule.INITIAL_QUIET.toNanos(), "too early: " + s);
        assertTrue(s.atNanos() <= limit, "too late: " + s);
        boolean start = STARTS.contains(s.f());
        if (start && s.f().equals("bump-clock") && open.containsKey(s.kind())) continue; // a strobe's later bump
        // An isolated leader's clock steps back, and is reset, inside its partition window.
        if (s.kind() == FaultKind.PARTITION && (s.action instanceof Action.ShiftClock || s.action instanceof Action.ResetClock)) {
          assertTrue(open.containsKey(FaultKind.PARTITION), "a partition's clock step outside it: " + s);
          continue;
        }
        // A flap kills and restarts single nodes inside an open kill window.
        if (s.action instanceof Action.Kill k && k.target().equals("flap")) {
          assertTrue(open.containsKey(FaultKind.KILL), "a flap outside a kill window: " + s);
          continue;
        }
        if (s.action instanceof Action.Restart r && !r.nodes().isEmpty()) {
          assertTrue(open.containsKey(FaultKind.KILL), "a flap's restart outside a kill window: " + s);
          continue;
        }
        if (start) {
          assertFalse(open.containsKey(s.kind()), s.kind() + " started twice: " + s);
          open.put(s.kind(), s.atNanos());
        } else {
          Long began = open.remove(s.kind());
          assertTrue(began != null && began < s.atNanos(), "a stop without its start: " + s);
        }
      }
      assertEquals(Map.of(), open, "seed " + seed + ": started but never stopped");
    }
  }

  @Test
  void cyclesLastAboutAnInterval() {
    // Quiet and faulty parts are each drawn between half and one and a half intervals.
    List<NemesisSchedule.Step> steps = draw(EnumSet.of(FaultKind.PARTITION), 3).steps();
    assertTrue(steps.size() >= 2 * 3, "too few partitions in a minute: " + steps);
    for (int i = 0; i + 1 < steps.size(); i++) {
      long gap = steps.get(i + 1).atNanos() - steps.get(i).atNanos();
      boolean lastStop = i + 2 == steps.size();
      assertTrue(gap <= INTERVAL.toNanos() * 3 / 2, "gap " + gap + " at " + steps.get(i));
      if (!lastStop) assertTrue(gap >= INTERVAL.toNanos() / 2, "gap " + gap + " at " + steps.get(i));
    }
  }

  @Test
  void stepsCarryWhatWasDrawn() {
    Set<String> targets = new TreeSet<>();
    Set<String> shapes = new TreeSet<>();
    boolean strobe = false;
    for (long seed = 0; seed < 30; seed++) {
      for (var s : draw(EnumSet.allOf(FaultKind.class), seed).steps()) {
        Map<String, Object> d = s.describe();
        assertEquals(s.atNanos() / 1_000_000, d.get("at-ms"));
        assertEquals(s.kind().wireName(), d.get("kind"));
        assertEquals(s.f(), d.get("f"));
        if (s.action instanceof Action.Kill k) {
          targets.add(k.target());
          int n = k.nodes().size();
          switch (k.target()) {
            case "leader" -> assertEquals(0, n);
            case "one" -> assertEquals(1, n);
            case "minority" -> assertEquals(2, n);
            case "majority" -> assertEquals(3, n);
            case "all" -> assertEquals(FIVE, k.nodes());
            case "flap" -> assertEquals(1, n);
            default -> throw new AssertionError(k);
          }
        }
        if (s.action instanceof Action.StartPartition p) {
          shapes.add(p.shape());
          assertEquals(new TreeSet<>(FIVE), new TreeSet<>(p.order()));
        }
        if (s.action instanceof Action.BumpClock c) {
          strobe |= c.strobe();
          assertFalse(c.offsets().isEmpty());
          for (long ms : c.offsets().values()) assertTrue(Math.abs(ms) >= 1_000 && Math.abs(ms) <= 10_000, "offset " + ms);
          for (String node : c.offsets().keySet()) assertTrue(FIVE.contains(node) || node.equals("leader"), node);
        }
        if (s.action instanceof Action.ShiftClock c && s.kind() == FaultKind.PARTITION) {
          assertTrue(c.node().equals("leader") && c.deltaMillis() <= -1_000 && c.deltaMillis() >= -10_000, c.toString());
        } else if (s.action instanceof Action.ShiftClock c) {
          assertTrue(c.deltaMillis() <= -50 && c.deltaMillis() >= -1_000, c.toString());
          assertTrue(FIVE.contains(c.node()) || c.node().equals("leader"), c.toString());
        }
        if (s.action instanceof Action.StartLoss l) {
          assertTrue(l.percent() >= 10 && l.percent() <= 50, l.toString());
          assertEquals(l.scope().equals("all") ? 20 : 8, l.links().size(), l.toString());
        }
        if (s.action instanceof Action.StartLatency l) {
          assertTrue(l.delayMillis() >= 50 && l.delayMillis() <= 500, l.toString());
          assertTrue(l.jitterMillis() >= 0 && l.jitterMillis() <= l.delayMillis() / 2, l.toString());
        }
      }
    }
    assertEquals(Set.of("all", "flap", "leader", "majority", "minority", "one"), targets);
    assertEquals(new TreeSet<>(Grudges.SHAPES), shapes);
    assertTrue(strobe, "no strobe in 30 schedules");
  }

  @Test
  void strobesKeepTheRuntimesPaceAndEitherJumpOrStepBack() {
    for (Pace pace : List.of(Pace.REAL_TIME, Pace.VIRTUAL_TIME)) {
      int jumps = 0;
      int stepsBack = 0;
      for (long seed = 0; seed < 40; seed++) {
        List<NemesisSchedule.Step> steps =
            NemesisSchedule.draw(EnumSet.of(FaultKind.CLOCK), FIVE, INTERVAL, MINUTE, seed, pace).steps();
        for (int i = 0; i + 1 < steps.size(); i++) {
          Action a = steps.get(i).action;
          Action b = steps.get(i + 1).action;
          boolean strobing = a instanceof Action.BumpClock c && c.strobe() || a instanceof Action.ShiftClock;
          if (!strobing || b instanceof Action.ResetClock) continue;
          long gap = steps.get(i + 1).atNanos() - steps.get(i).atNanos();
          assertTrue(gap >= pace.strobeGapMin().toNanos() && gap <= pace.strobeGapMax().toNanos(), pace + ": gap " + gap);
          if (b instanceof Action.ShiftClock) stepsBack++;
          else if (b instanceof Action.BumpClock c && c.strobe()) jumps++;
        }
      }
      assertTrue(jumps > 0 && stepsBack > 0, pace + ": jumps " + jumps + ", steps back " + stepsBack);
    }
  }

  @Test
  void theLeadersClockStepsBackRightAfterAPartitionWhenClocksAreFaultedToo() {
    int lies = 0;
    for (long seed = 0; seed < 60; seed++) {
      List<NemesisSchedule.Step> steps =
          NemesisSchedule.draw(EnumSet.of(FaultKind.PARTITION, FaultKind.CLOCK), FIVE, INTERVAL, MINUTE, seed).steps();
      for (int i = 0; i < steps.size(); i++) {
        if (!(steps.get(i).action instanceof Action.ShiftClock shift) || steps.get(i).kind() != FaultKind.PARTITION) continue;
        lies++;
        NemesisSchedule.Step start = null;
        for (int j = i - 1; j >= 0 && start == null; j--) if (steps.get(j).action instanceof Action.StartPartition) start = steps.get(j);
        assertTrue(start != null, steps.get(i).toString());
        assertTrue(steps.get(i).atNanos() - start.atNanos() <= 100_000_000L, "the step follows the cut at once");
      }
      // Without clock faults a partition leaves clocks alone.
      for (var s : NemesisSchedule.draw(EnumSet.of(FaultKind.PARTITION), FIVE, INTERVAL, MINUTE, seed).steps()) {
        assertTrue(!(s.action instanceof Action.ShiftClock) && !(s.action instanceof Action.ResetClock), s.toString());
      }
    }
    assertTrue(lies > 0, "no isolated leader's clock stepped back in 60 schedules");
  }

  @Test
  void flapsKillOneNodeAtATimeAndRestartItAtTheRuntimesPace() {
    int flaps = 0;
    for (long seed = 0; seed < 40; seed++) {
      List<NemesisSchedule.Step> steps =
          NemesisSchedule.draw(EnumSet.of(FaultKind.KILL), FIVE, INTERVAL, MINUTE, seed, Pace.VIRTUAL_TIME).steps();
      for (int i = 0; i < steps.size(); i++) {
        if (!(steps.get(i).action instanceof Action.Kill k) || !k.target().equals("flap")) continue;
        flaps++;
        NemesisSchedule.Step next = steps.get(i + 1);
        long gap = next.atNanos() - steps.get(i).atNanos();
        assertTrue(next.action instanceof Action.Restart r && (r.nodes().equals(k.nodes()) || r.nodes().isEmpty()), next.toString());
        assertTrue(gap <= Pace.VIRTUAL_TIME.restartMax().toNanos(), "restarted after " + gap);
      }
    }
    assertTrue(flaps > 10, "only " + flaps + " flapped kills in 40 schedules");
  }

  @Test
  void aScheduleReadBackFromItsDescriptionIsTheSameSchedule() {
    for (Pace pace : List.of(Pace.REAL_TIME, Pace.VIRTUAL_TIME)) {
      for (long seed = 0; seed < 30; seed++) {
        NemesisSchedule drawn = NemesisSchedule.draw(EnumSet.allOf(FaultKind.class), FIVE, INTERVAL, MINUTE, seed, pace);
        assertEquals(drawn, NemesisSchedule.of(drawn.describe(), FIVE), "seed " + seed);
      }
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> NemesisSchedule.of(List.of(Map.of("at-ms", 5, "kind", "kill", "f", "explode")), FIVE));
    assertTrue(bad.getMessage().contains("unknown f 'explode'"), bad.getMessage());
  }

  @Test
  void aShortRunGetsNoFaultAndBadArgumentsAreRefused() {
    assertEquals(List.of(), NemesisSchedule.draw(EnumSet.allOf(FaultKind.class), FIVE, INTERVAL, Duration.ofSeconds(4), 1).steps());
    assertThrows(IllegalArgumentException.class, () -> NemesisSchedule.draw(EnumSet.of(FaultKind.KILL), FIVE, Duration.ZERO, MINUTE, 1));
    assertThrows(IllegalArgumentException.class, () -> NemesisSchedule.draw(EnumSet.of(FaultKind.KILL), List.of(), INTERVAL, MINUTE, 1));
    assertThrows(IllegalArgumentException.class, () -> NemesisSchedule.draw(EnumSet.of(FaultKind.PARTITION), List.of("n1"), INTERVAL, MINUTE, 1));
    assertFalse(NemesisSchedule.draw(EnumSet.of(FaultKind.KILL), List.of("n1"), INTERVAL, MINUTE, 1).steps().isEmpty());
  }
}
