package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoTest {
  private static Config config(Object state, long bits, int... unused) {
    return new Config(state, new long[] {bits}, unused, null);
  }

  @Test
  void theCompactTableTellsEventsStatesAndWindowsApart() {
    Memo memo = new Memo();
    assertTrue(memo.add(1, config(null, 0b101)));
    assertFalse(memo.add(1, config(null, 0b101)), "seen");
    assertTrue(memo.add(2, config(null, 0b101)), "another event");
    assertTrue(memo.add(1, config(7L, 0b101)), "another state");
    assertTrue(memo.add(1, config(null, 0b100)), "another window");
    assertFalse(memo.add(1, config(7L, 0b101)));
    assertEquals(4, memo.entries());
  }

  @Test
  void theCompactTableKeepsEveryEntryAcrossResizes() {
    Memo memo = new Memo();
    for (int e = 0; e < 50_000; e++) assertTrue(memo.add(e, config((long) (e % 5), e & 0xff)));
    for (int e = 0; e < 50_000; e++) assertFalse(memo.add(e, config((long) (e % 5), e & 0xff)), "event " + e);
    assertEquals(50_000, memo.entries());
  }

  @Test
  void moreUnusedIndeterminateOperationsDominate() {
    Memo memo = new Memo();
    assertTrue(memo.add(3, config(1L, 0, 1, 0)));
    assertFalse(memo.add(3, config(1L, 0, 0, 0)), "fewer unused: dominated");
    assertTrue(memo.add(3, config(1L, 0, 0, 1)), "incomparable");
    assertTrue(memo.add(3, config(1L, 0, 1, 1)), "dominates both");
    assertFalse(memo.add(3, config(1L, 0, 1, 0)));
    assertFalse(memo.add(3, config(1L, 0, 0, 1)));
  }

  @Test
  void onlyAKeepingMemoHandsBackItsConfigurations() {
    Memo keeping = Memo.keepingConfigurations();
    Config a = config(1L, 0, 1, 0);
    Config b = config(1L, 0, 0, 1);
    Config both = config(1L, 0, 1, 1);
    keeping.add(0, a);
    keeping.add(0, b);
    assertEquals(2, keeping.kept().size());
    keeping.add(0, both);
    assertEquals(List.of(both), keeping.kept(), "the dominated ones are dropped");
    assertThrows(IllegalStateException.class, () -> new Memo().kept());
  }
}
