package io.faultline.targets.twopc;

import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvWire;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Two-phase-commit messages as bytes: a tag, then the fields in order. */
final class TwoPcCodec implements MessageCodec {
  private static final byte PREPARE = 1;
  private static final byte VOTE = 2;
  private static final byte DECISION = 3;
  private static final byte ACK = 4;
  private static final byte QUERY = 5;

  @Override
  public byte[] encode(Message message) {
    return KvWire.encode(out -> {
      if (message instanceof TwoPcMessage.Prepare m) {
        out.writeByte(PREPARE);
        KvWire.writeString(out, m.txid());
        writeCommands(out, m.commands());
      } else if (message instanceof TwoPcMessage.Vote m) {
        out.writeByte(VOTE);
        KvWire.writeString(out, m.txid());
        out.writeBoolean(m.yes());
        KvWire.writeNullableString(out, m.reason());
        writeReads(out, m.reads());
      } else if (message instanceof TwoPcMessage.Decision m) {
        out.writeByte(DECISION);
        KvWire.writeString(out, m.txid());
        out.writeBoolean(m.commit());
      } else if (message instanceof TwoPcMessage.Ack m) {
        out.writeByte(ACK);
        KvWire.writeString(out, m.txid());
      } else if (message instanceof TwoPcMessage.Query m) {
        out.writeByte(QUERY);
        KvWire.writeString(out, m.txid());
      } else {
        throw new IllegalArgumentException("not a twopc message: " + message);
      }
    });
  }

  @Override
  public Message decode(byte[] bytes) {
    return KvWire.decode(bytes, "twopc message", in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case PREPARE -> new TwoPcMessage.Prepare(KvWire.readString(in), readCommands(in));
        case VOTE -> new TwoPcMessage.Vote(KvWire.readString(in), in.readBoolean(), KvWire.readNullableString(in),
            readReads(in));
        case DECISION -> new TwoPcMessage.Decision(KvWire.readString(in), in.readBoolean());
        case ACK -> new TwoPcMessage.Ack(KvWire.readString(in));
        case QUERY -> new TwoPcMessage.Query(KvWire.readString(in));
        default -> throw new IllegalArgumentException("unknown twopc message tag " + tag);
      };
    });
  }

  static void writeCommands(DataOutputStream out, List<Command> commands) throws IOException {
    out.writeInt(commands.size());
    for (Command c : commands) KvWire.writeCommand(out, c);
  }

  static List<Command> readCommands(DataInputStream in) throws IOException {
    int n = KvWire.count(in, in.readInt(), 1);
    List<Command> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(KvWire.readCommand(in));
    return out;
  }

  /** Values a read sees: nothing, a number, or a set's elements. */
  private static void writeReads(DataOutputStream out, Map<String, Object> reads) throws IOException {
    out.writeInt(reads.size());
    for (Map.Entry<String, Object> e : reads.entrySet()) {
      KvWire.writeString(out, e.getKey());
      Object v = e.getValue();
      if (v == null) {
        out.writeByte(0);
      } else if (v instanceof Long n) {
        out.writeByte(1);
        out.writeLong(n);
      } else if (v instanceof List<?> list) {
        out.writeByte(2);
        out.writeInt(list.size());
        for (Object x : list) out.writeLong((Long) x);
      } else {
        throw new IllegalArgumentException("a read of " + e.getKey() + " saw " + v);
      }
    }
  }

  private static Map<String, Object> readReads(DataInputStream in) throws IOException {
    int n = KvWire.count(in, in.readInt(), 5);
    Map<String, Object> reads = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = KvWire.readString(in);
      byte kind = in.readByte();
      switch (kind) {
        case 0 -> reads.put(key, null);
        case 1 -> reads.put(key, in.readLong());
        case 2 -> {
          int size = KvWire.count(in, in.readInt(), 8);
          List<Long> list = new ArrayList<>(size);
          for (int j = 0; j < size; j++) list.add(in.readLong());
          reads.put(key, list);
        }
        default -> throw new IllegalArgumentException("unknown read kind " + kind);
      }
    }
    return reads;
  }
}
