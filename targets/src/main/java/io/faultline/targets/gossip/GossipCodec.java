package io.faultline.targets.gossip;

import io.faultline.targets.kv.KvWire;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Gossip messages as bytes: a tag, then the fields in order; also one log record (a key's state). */
final class GossipCodec implements MessageCodec {
  private static final byte DIGEST = 1;
  private static final byte DELTA = 2;

  @Override
  public byte[] encode(Message message) {
    return KvWire.encode(out -> {
      if (message instanceof GossipMessage.Digest d) {
        out.writeByte(DIGEST);
        out.writeInt(d.hashes().size());
        for (Map.Entry<String, Long> e : d.hashes().entrySet()) {
          KvWire.writeString(out, e.getKey());
          out.writeLong(e.getValue());
        }
      } else {
        GossipMessage.Delta d = (GossipMessage.Delta) message;
        out.writeByte(DELTA);
        out.writeInt(d.states().size());
        for (GossipMessage.KeyState s : d.states()) {
          KvWire.writeString(out, s.key());
          Crdt.write(out, s.state());
        }
        out.writeInt(d.wanted().size());
        for (String key : d.wanted()) KvWire.writeString(out, key);
      }
    });
  }

  @Override
  public Message decode(byte[] bytes) {
    return KvWire.decode(bytes, "gossip message", in -> {
      byte tag = in.readByte();
      if (tag == DIGEST) {
        TreeMap<String, Long> hashes = new TreeMap<>();
        for (int i = in.readInt(); i > 0; i--) hashes.put(KvWire.readString(in), in.readLong());
        return new GossipMessage.Digest(hashes);
      }
      if (tag != DELTA) throw new IOException("unknown gossip message tag " + tag);
      List<GossipMessage.KeyState> states = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) states.add(readKeyState(in));
      List<String> wanted = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) wanted.add(KvWire.readString(in));
      return new GossipMessage.Delta(states, wanted);
    });
  }

  /** One log record: a key and its whole state after a change. */
  static byte[] record(String key, Crdt state) {
    return KvWire.encode(out -> {
      KvWire.writeString(out, key);
      Crdt.write(out, state);
    });
  }

  static GossipMessage.KeyState readRecord(byte[] bytes) {
    return KvWire.decode(bytes, "gossip log record", GossipCodec::readKeyState);
  }

  private static GossipMessage.KeyState readKeyState(DataInputStream in) throws IOException {
    return new GossipMessage.KeyState(KvWire.readString(in), Crdt.read(in));
  }

  /** FNV-1a over the state's bytes: equal states hash equal on every node, whatever their history. */
  static long hash(Crdt state) {
    long h = 0xcbf29ce484222325L;
    for (byte b : KvWire.encode(out -> Crdt.write(out, state))) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
