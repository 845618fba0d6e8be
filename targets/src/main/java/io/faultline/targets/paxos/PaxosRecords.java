package io.faultline.targets.paxos;

import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvWire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a Paxos node keeps in its storage log: its promise, the values it accepted, the values it
 * learned were chosen (so a restart does not have to learn them again), and a checkpoint. Later
 * records win; a rewrite compacts them to one checkpoint, the promise and what lies past it.
 */
final class PaxosRecords {
  private static final byte PROMISE = 1;
  private static final byte ACCEPTED = 2;
  private static final byte CHOSEN = 3;
  private static final byte CHECKPOINT = 4;

  private PaxosRecords() {}

  /** What start() recovers. */
  record Recovered(Ballot promised, SortedMap<Long, PaxosMessage.AcceptedValue> accepted,
      SortedMap<Long, Command> chosen, long checkpointIndex, SortedMap<String, Object> checkpointState) {}

  static byte[] promise(Ballot b) {
    return KvWire.encode(out -> {
      out.writeByte(PROMISE);
      writeBallot(out, b);
    });
  }

  static byte[] accepted(PaxosMessage.AcceptedValue v) {
    return KvWire.encode(out -> {
      out.writeByte(ACCEPTED);
      out.writeLong(v.slot());
      writeBallot(out, v.ballot());
      KvWire.writeCommand(out, v.command());
    });
  }

  static byte[] chosen(long slot, Command c) {
    return KvWire.encode(out -> {
      out.writeByte(CHOSEN);
      out.writeLong(slot);
      KvWire.writeCommand(out, c);
    });
  }

  static byte[] checkpoint(long index, SortedMap<String, Object> state) {
    return KvWire.encode(out -> {
      out.writeByte(CHECKPOINT);
      out.writeLong(index);
      KvWire.writeState(out, state);
    });
  }

  static Recovered recover(List<byte[]> records) {
    Ballot promised = Ballot.ZERO;
    TreeMap<Long, PaxosMessage.AcceptedValue> accepted = new TreeMap<>();
    TreeMap<Long, Command> chosen = new TreeMap<>();
    long checkpointIndex = 0;
    SortedMap<String, Object> state = Collections.emptySortedMap();
    int position = 0;
    for (byte[] record : records) {
      position++;
      Object r = KvWire.decode(record, "paxos storage record " + position, in -> {
        byte kind = in.readByte();
        return switch (kind) {
          case PROMISE -> readBallot(in);
          case ACCEPTED -> new PaxosMessage.AcceptedValue(in.readLong(), readBallot(in), KvWire.readCommand(in));
          case CHOSEN -> new PaxosMessage.ChosenValue(in.readLong(), KvWire.readCommand(in));
          case CHECKPOINT -> new Object[] {in.readLong(), KvWire.readState(in)};
          default -> throw new IllegalArgumentException("unknown record kind " + kind);
        };
      });
      if (r instanceof Ballot b) {
        if (b.above(promised)) promised = b;
      } else if (r instanceof PaxosMessage.AcceptedValue v) {
        accepted.put(v.slot(), v);
      } else if (r instanceof PaxosMessage.ChosenValue c) {
        chosen.put(c.slot(), c.command());
      } else {
        Object[] cp = (Object[]) r;
        @SuppressWarnings("unchecked")
        SortedMap<String, Object> s = (SortedMap<String, Object>) cp[1];
        if ((Long) cp[0] >= checkpointIndex) {
          checkpointIndex = (Long) cp[0];
          state = s;
        }
      }
    }
    accepted.headMap(checkpointIndex + 1).clear();
    chosen.headMap(checkpointIndex + 1).clear();
    return new Recovered(promised, accepted, chosen, checkpointIndex, state);
  }

  static void writeBallot(DataOutputStream out, Ballot b) throws IOException {
    out.writeLong(b.round());
    out.writeInt(b.proposer());
  }

  static Ballot readBallot(DataInputStream in) throws IOException {
    return new Ballot(in.readLong(), in.readInt());
  }
}
