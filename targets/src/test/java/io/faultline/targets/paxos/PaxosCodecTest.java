package io.faultline.targets.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.faultline.targets.kv.Command;
import io.faultline.targets.node.Message;
import io.faultline.targets.paxos.PaxosMessage.AcceptedValue;
import io.faultline.targets.paxos.PaxosMessage.ChosenValue;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PaxosCodecTest {
  private final PaxosCodec codec = new PaxosCodec();

  @Test
  void everyMessageComesBackEqual() {
    Ballot b = new Ballot(7, 2);
    SortedMap<String, Object> state = new TreeMap<>();
    state.put("x", 3L);
    state.put("s", java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(1L, 2L))));
    List<Message> messages = List.of(
        new PaxosMessage.Prepare(b, 12),
        new PaxosMessage.Promise(b, 11, List.of(new AcceptedValue(12, new Ballot(6, 0), new Command.Put("x", 1)),
            new AcceptedValue(13, b, new Command.Read("y")))),
        new PaxosMessage.Accept(b, 14, new Command.Cas("x", 1, 2), 13),
        new PaxosMessage.Accept(b, 15, new Command.Transfer("a1", "a2", 3, 10), 13),
        new PaxosMessage.Accept(b, 16, new Command.ReadAccounts(List.of("a1", "a2"), 10), 13),
        new PaxosMessage.Accepted(b, 14),
        new PaxosMessage.Reject(new Ballot(9, 1)),
        new PaxosMessage.Learn(b, List.of(new ChosenValue(14, new Command.Add("s", 4)), new ChosenValue(15, new Command.Noop()))),
        new PaxosMessage.Heartbeat(b, 15, 123_456_789L),
        new PaxosMessage.HeartbeatAck(b, 123_456_789L),
        new PaxosMessage.CatchUp(3),
        new PaxosMessage.CatchUpReply(10, state, List.of(new ChosenValue(11, new Command.Noop()))),
        new PaxosMessage.CatchUpReply(0, null, List.of()));
    for (Message m : messages) assertEquals(m, codec.decode(codec.encode(m)));
  }

  @Test
  void truncatedOrUnknownBytesAreRefused() {
    byte[] whole = codec.encode(new PaxosMessage.Accept(new Ballot(1, 0), 1, new Command.Put("x", 1), 0));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(Arrays.copyOf(whole, whole.length - 3)));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[] {99}));
  }

  @Test
  void ballotsOrderByRoundThenProposer() {
    assertEquals(-1, Integer.signum(new Ballot(1, 2).compareTo(new Ballot(2, 0))));
    assertEquals(1, Integer.signum(new Ballot(2, 1).compareTo(new Ballot(2, 0))));
    assertEquals(-1, Integer.signum(Ballot.ZERO.compareTo(new Ballot(0, 0))));
  }
}
