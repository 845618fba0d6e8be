package io.faultline.harness.shrink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.NemesisSchedule;
import io.faultline.nemesis.Pace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shrinker's edits of a schedule keep it a schedule the nemesis can read. */
class WindowTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

  private static List<Map<String, Object>> schedule(long seed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> step : NemesisSchedule.draw(EnumSet.allOf(FaultKind.class), FIVE, Duration.ofSeconds(3),
        Duration.ofSeconds(40), seed, Pace.VIRTUAL_TIME).describe()) {
      out.add(new LinkedHashMap<>(step));
    }
    return out;
  }

  @Test
  void everyStepBelongsToOneWindowAndEveryClosedWindowEndsWithItsStop() {
    for (long seed = 0; seed < 20; seed++) {
      List<Map<String, Object>> s = schedule(seed);
      List<Window> windows = Window.of(s);
      assertTrue(windows.size() > 10, "seed " + seed + ": " + windows.size() + " windows");
      assertEquals(List.of(), Window.without(s, windows), "dropping every window leaves nothing");
      long starts = s.stream().filter(st -> List.of("start-partition", "pause", "start-loss", "start-latency")
          .contains(st.get("f"))).count();
      assertTrue(windows.size() >= starts, "at least one window per start");
    }
  }

  @Test
  void editsGiveSchedulesTheNemesisReads() {
    for (long seed = 0; seed < 20; seed++) {
      List<Map<String, Object>> s = schedule(seed);
      List<Window> windows = Window.of(s);
      NemesisSchedule.of(Window.without(s, windows.subList(0, windows.size() / 2)), FIVE);
      NemesisSchedule.of(Window.before(s, 10_000), FIVE);
      NemesisSchedule.of(Window.shifted(s, -500), FIVE);
      for (Window w : windows) {
        List<Map<String, Object>> halved = Window.halved(s, w);
        NemesisSchedule.of(halved, FIVE);
        assertTrue(halved.size() <= s.size());
      }
      for (int n = 1; n <= 4; n++) {
        List<String> fewer = FIVE.subList(0, n);
        List<Map<String, Object>> on = Window.onNodes(s, fewer);
        NemesisSchedule.of(on, fewer);
        for (Map<String, Object> step : on) {
          if (step.get("nodes") instanceof List<?> l) for (Object node : l) assertTrue(fewer.contains(node), step.toString());
          if (n < 2) assertTrue(List.of("kill", "pause", "clock").contains(step.get("kind")), step.toString());
        }
      }
    }
  }

  @Test
  void halvingAWindowMovesItsStopToTheMiddle() {
    List<Map<String, Object>> s = schedule(3);
    Window w = Window.of(s).get(0);
    List<Window> after = Window.of(Window.halved(s, w));
    Window same = after.stream().filter(x -> x.kind().equals(w.kind()) && x.startMillis() == w.startMillis())
        .findFirst().orElseThrow();
    assertEquals(w.lengthMillis() / 2, same.lengthMillis());
  }
}
