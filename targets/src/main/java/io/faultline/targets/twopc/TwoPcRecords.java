package io.faultline.targets.twopc;

import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvWire;
import java.util.List;
import java.util.SortedMap;

/**
 * What a two-phase-commit node keeps in its storage log. As a participant: a checkpoint of its
 * shard's state, the transactions it prepared (with their commands and coordinator) and their
 * outcomes. As a coordinator: its epoch (so transaction ids are never reused across restarts), the
 * commits it decided, and their end once every participant acknowledged.
 */
final class TwoPcRecords {
  static final byte CHECKPOINT = 1;
  static final byte PREPARED = 2;
  static final byte OUTCOME = 3;
  static final byte EPOCH = 4;
  static final byte DECIDED = 5;
  static final byte END = 6;

  private TwoPcRecords() {}

  /** One decoded record. */
  record Record(byte kind, String txid, String coordinator, List<Command> commands, boolean commit, long epoch,
      List<String> participants, SortedMap<String, Object> state) {}

  static byte[] checkpoint(SortedMap<String, Object> state) {
    return KvWire.encode(out -> {
      out.writeByte(CHECKPOINT);
      KvWire.writeState(out, state);
    });
  }

  static byte[] prepared(String txid, String coordinator, List<Command> commands) {
    return KvWire.encode(out -> {
      out.writeByte(PREPARED);
      KvWire.writeString(out, txid);
      KvWire.writeString(out, coordinator);
      TwoPcCodec.writeCommands(out, commands);
    });
  }

  static byte[] outcome(String txid, boolean commit) {
    return KvWire.encode(out -> {
      out.writeByte(OUTCOME);
      KvWire.writeString(out, txid);
      out.writeBoolean(commit);
    });
  }

  static byte[] epoch(long epoch) {
    return KvWire.encode(out -> {
      out.writeByte(EPOCH);
      out.writeLong(epoch);
    });
  }

  static byte[] decided(String txid, List<String> participants) {
    return KvWire.encode(out -> {
      out.writeByte(DECIDED);
      KvWire.writeString(out, txid);
      out.writeInt(participants.size());
      for (String p : participants) KvWire.writeString(out, p);
    });
  }

  static byte[] end(String txid) {
    return KvWire.encode(out -> {
      out.writeByte(END);
      KvWire.writeString(out, txid);
    });
  }

  static Record decode(byte[] bytes, int position) {
    return KvWire.decode(bytes, "twopc storage record " + position, in -> {
      byte kind = in.readByte();
      return switch (kind) {
        case CHECKPOINT -> new Record(kind, null, null, null, false, 0, null, KvWire.readState(in));
        case PREPARED -> new Record(kind, KvWire.readString(in), KvWire.readString(in), TwoPcCodec.readCommands(in), false,
            0, null, null);
        case OUTCOME -> new Record(kind, KvWire.readString(in), null, null, in.readBoolean(), 0, null, null);
        case EPOCH -> new Record(kind, null, null, null, false, in.readLong(), null, null);
        case DECIDED -> {
          String txid = KvWire.readString(in);
          int n = KvWire.count(in, in.readInt(), 4);
          List<String> participants = new java.util.ArrayList<>(n);
          for (int i = 0; i < n; i++) participants.add(KvWire.readString(in));
          yield new Record(kind, txid, null, null, false, 0, participants, null);
        }
        case END -> new Record(kind, KvWire.readString(in), null, null, false, 0, null, null);
        default -> throw new IllegalArgumentException("unknown record kind " + kind);
      };
    });
  }
}
