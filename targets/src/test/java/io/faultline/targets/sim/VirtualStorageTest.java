package io.faultline.targets.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class VirtualStorageTest {
  private static byte[] rec(int i) {
    return new byte[] {(byte) i};
  }

  @Test
  void aCrashKeepsEverySyncedRecordAndExactlyAPrefixOfTheRest() {
    TreeSet<Integer> keptCounts = new TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      VirtualStorage s = new VirtualStorage();
      for (int i = 0; i < 5; i++) s.append(rec(i));
      s.sync();
      for (int i = 5; i < 10; i++) s.append(rec(i));
      int lost = s.crash(new Random(seed));
      List<byte[]> after = s.readAll();
      assertEquals(10 - lost, after.size());
      assertTrue(after.size() >= 5, "a synced record was lost");
      for (int i = 0; i < after.size(); i++) assertArrayEquals(rec(i), after.get(i), "not a prefix at " + i);
      assertEquals(after.size(), s.synced(), "what survived a crash is on disk");
      keptCounts.add(after.size());
    }
    // Over many crashes every outcome happens: nothing kept, everything kept, and between.
    assertEquals(new TreeSet<>(List.of(5, 6, 7, 8, 9, 10)), keptCounts);
  }

  @Test
  void rewriteIsDurableAndRecordsAreCopied() {
    VirtualStorage s = new VirtualStorage();
    byte[] mutable = rec(1);
    s.append(mutable);
    mutable[0] = 9;
    s.rewrite(List.of(rec(7), rec(8)));
    s.append(rec(9));
    s.readAll().get(0)[0] = 0;
    s.crash(new Random(1) {
      @Override
      public int nextInt(int bound) {
        return 0; // keep none of the unsynced records
      }
    });
    assertEquals(2, s.readAll().size());
    assertArrayEquals(rec(7), s.readAll().get(0));
    VirtualStorage t = new VirtualStorage();
    t.append(mutable.clone());
    mutable[0] = 3;
    t.sync();
    assertArrayEquals(rec(9), t.readAll().get(0), "the disk keeps what was appended, not later changes");
  }
}
