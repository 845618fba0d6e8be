package io.faultline.targets.twopc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.faultline.targets.kv.Command;
import io.faultline.targets.node.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TwoPcCodecTest {
  private final TwoPcCodec codec = new TwoPcCodec();

  @Test
  void everyMessageComesBackEqual() {
    Map<String, Object> reads = new LinkedHashMap<>();
    reads.put("a0", 10L);
    reads.put("x", null);
    reads.put("s", List.of(1L, 2L));
    List<Message> messages = List.of(
        new TwoPcMessage.Prepare("n1.2.3", List.of(new Command.Adjust("a0", -3, 10), new Command.ReadAccounts(List.of("a1"), 10))),
        new TwoPcMessage.Vote("n1.2.3", true, null, reads),
        new TwoPcMessage.Vote("n1.2.3", false, "locked", Map.of()),
        new TwoPcMessage.Decision("n1.2.3", true),
        new TwoPcMessage.Ack("n1.2.3"),
        new TwoPcMessage.Query("n1.2.3"));
    for (Message m : messages) assertEquals(m, codec.decode(codec.encode(m)));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[] {42}));
  }

  @Test
  void keysGoToShardsByHashOrByRange() {
    TwoPcSettings range = TwoPcSettings.parse(Set.of(), Map.of("partitioning", "range", "splits", "b,m"));
    assertEquals(3, range.shards());
    assertEquals(0, range.shardOf("a9", 3));
    assertEquals(1, range.shardOf("b", 3));
    assertEquals(2, range.shardOf("zz", 3));
    TwoPcSettings hash = TwoPcSettings.parse(Set.of(), Map.of());
    assertEquals(Math.floorMod("k1".hashCode(), 4), hash.shardOf("k1", 4));
    assertThrows(IllegalArgumentException.class, () -> TwoPcSettings.parse(Set.of(), Map.of("partitioning", "range")));
    assertThrows(IllegalArgumentException.class,
        () -> TwoPcSettings.parse(Set.of(), Map.of("partitioning", "range", "splits", "m,b")));
    assertThrows(IllegalArgumentException.class, () -> TwoPcSettings.parse(Set.of(), Map.of("splits", "m")));
  }
}
