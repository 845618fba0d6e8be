package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RecordsTest {

  private static Entry put(long index, long term, long value) {
    return new Entry(index, term, new Command.Put("x", value));
  }

  @Test
  void replayingRecordsRebuildsTermVoteLogAndState() {
    TreeMap<String, Object> image = new TreeMap<>(Map.of("x", 4L, "s", Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(3L, -1L)))));
    List<byte[]> records = List.of(
        Records.snapshot(4, 1, Collections.unmodifiableSortedMap(image)),
        Records.hardState(2, "n2"),
        Records.entries(List.of(put(5, 1, 5), put(6, 2, 6), put(7, 2, 7))),
        Records.truncateFrom(6),
        Records.hardState(3, null),
        Records.entries(List.of(put(6, 3, 60))));
    Records.Recovered r = Records.recover(records);
    assertEquals(3, r.term());
    assertNull(r.vote());
    assertEquals(4, r.log().snapshotIndex());
    assertEquals(1, r.log().snapshotTerm());
    assertEquals(List.of(put(5, 1, 5), put(6, 3, 60)), r.log().retained());
    assertEquals(Map.of("x", 4L, "s", Set.of(-1L, 3L)), r.state());
  }

  @Test
  void everyPrefixOfTheRecordsRecovers() {
    List<byte[]> records = new ArrayList<>(List.of(
        Records.hardState(1, "n1"),
        Records.entries(List.of(put(1, 1, 1), put(2, 1, 2))),
        Records.hardState(2, null),
        Records.truncateFrom(2),
        Records.entries(List.of(put(2, 2, 20), put(3, 2, 30))),
        Records.hardState(2, "n3")));
    long[] lastIndex = {0, 0, 2, 2, 1, 3, 3};
    long[] term = {0, 1, 1, 2, 2, 2, 2};
    for (int n = 0; n <= records.size(); n++) {
      Records.Recovered r = Records.recover(records.subList(0, n));
      assertEquals(lastIndex[n], r.log().lastIndex(), "prefix " + n);
      assertEquals(term[n], r.term(), "prefix " + n);
    }
  }

  @Test
  void recordsThatNoNodeCouldHaveWrittenAreRefused() {
    assertThrows(IllegalStateException.class, () -> Records.recover(List.of(
        Records.entries(List.of(put(2, 1, 2))))), "a gap");
    assertThrows(IllegalStateException.class, () -> Records.recover(List.of(
        Records.hardState(5, null), Records.hardState(4, null))), "a term going back");
    IllegalStateException garbage = assertThrows(IllegalStateException.class,
        () -> Records.recover(List.of(Records.hardState(1, null), new byte[] {42})));
    assertEquals("raft storage record 1: unknown record tag 42",
        garbage.getMessage());
  }
}
