package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RaftCodecTest {
  private final MessageCodec codec = new RaftNodeFactory().codec();

  private static final List<Entry> ENTRIES = List.of(
      new Entry(7, 2, new Command.Noop()),
      new Entry(8, 2, new Command.Put("key", -5)),
      new Entry(9, 3, new Command.Cas("ключ ✓", Long.MIN_VALUE, Long.MAX_VALUE)),
      new Entry(10, 3, new Command.Put("", 0)),
      new Entry(11, 3, new Command.Add("s", Long.MIN_VALUE)));

  private static List<Message> everyKind() {
    TreeMap<String, Object> state = new TreeMap<>();
    state.put("a", 1L);
    state.put("set", Collections.unmodifiableSortedSet(new TreeSet<>(List.of(-3L, 0L, Long.MAX_VALUE))));
    state.put("empty set", Collections.unmodifiableSortedSet(new TreeSet<Long>()));
    state.put("z".repeat(70_000), -1L); // longer than DataOutput.writeUTF could carry
    return List.of(
        new RequestVote(4, "n1", 10, 3, true),
        new RequestVote(5, "n2", 0, 0, false),
        new RequestVoteResponse(5, true, false),
        new RequestVoteResponse(6, false, true),
        new AppendEntries(3, "n3", 6, 2, ENTRIES, 8, 42),
        new AppendEntries(3, "n3", 10, 3, List.of(), 10, 43),
        new AppendEntriesResponse(3, true, 10, 0, 0, 42),
        new AppendEntriesResponse(3, false, 0, 4, 2, 43),
        new InstallSnapshot(3, "n1", 1000, 3, Collections.unmodifiableSortedMap(state), 44),
        new InstallSnapshot(3, "n1", 5, 1, Collections.unmodifiableSortedMap(new TreeMap<>()), 45),
        new InstallSnapshotResponse(3, 1000, 44));
  }

  @Test
  void everyMessageSurvivesARoundTrip() {
    for (Message m : everyKind()) {
      Message back = codec.decode(codec.encode(m));
      assertEquals(m, back);
      assertEquals(m.getClass(), back.getClass());
    }
  }

  @Test
  void truncatedBytesAreRefusedNotMisread() {
    for (Message m : everyKind()) {
      byte[] bytes = codec.encode(m);
      for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 50)) {
        byte[] shorter = Arrays.copyOf(bytes, cut);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(shorter), m + " cut at " + cut);
      }
    }
  }

  @Test
  void trailingBytesUnknownTagsAndGarbageAreRefused() {
    byte[] ok = codec.encode(new RequestVoteResponse(1, true, false));
    byte[] longer = Arrays.copyOf(ok, ok.length + 1);
    IllegalArgumentException trailing =
        assertThrows(IllegalArgumentException.class, () -> codec.decode(longer));
    assertTrue(trailing.getMessage().contains("trailing"), trailing.getMessage());

    IllegalArgumentException tag =
        assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[] {99, 0, 0}));
    assertEquals("raft message: unknown tag 99", tag.getMessage());

    // A count claiming more items than there are bytes fails before allocating them.
    byte[] hugeCount = codec.encode(new AppendEntries(1, "n1", 0, 0, List.of(), 0, 0));
    int countAt = 1 + 8 + 4 + 2 + 8 + 8;
    hugeCount[countAt] = 0x7f;
    assertThrows(IllegalArgumentException.class, () -> codec.decode(hugeCount));

    assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[0]));
  }

  @Test
  void aMessageOfAnotherProtocolIsRefused() {
    Message foreign = new Message() {};
    assertThrows(IllegalArgumentException.class, () -> codec.encode(foreign));
  }
}
