package io.faultline.targets.paxos;

import static io.faultline.targets.paxos.PaxosRecords.readBallot;
import static io.faultline.targets.paxos.PaxosRecords.writeBallot;

import io.faultline.targets.kv.KvWire;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.paxos.PaxosMessage.Accept;
import io.faultline.targets.paxos.PaxosMessage.Accepted;
import io.faultline.targets.paxos.PaxosMessage.AcceptedValue;
import io.faultline.targets.paxos.PaxosMessage.CatchUp;
import io.faultline.targets.paxos.PaxosMessage.CatchUpReply;
import io.faultline.targets.paxos.PaxosMessage.ChosenValue;
import io.faultline.targets.paxos.PaxosMessage.Heartbeat;
import io.faultline.targets.paxos.PaxosMessage.HeartbeatAck;
import io.faultline.targets.paxos.PaxosMessage.Learn;
import io.faultline.targets.paxos.PaxosMessage.Prepare;
import io.faultline.targets.paxos.PaxosMessage.Promise;
import io.faultline.targets.paxos.PaxosMessage.Reject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Paxos messages as bytes: a tag, then the fields in order (see {@link KvWire} for the parts). */
final class PaxosCodec implements MessageCodec {
  private static final byte PREPARE = 1;
  private static final byte PROMISE = 2;
  private static final byte ACCEPT = 3;
  private static final byte ACCEPTED = 4;
  private static final byte REJECT = 5;
  private static final byte LEARN = 6;
  private static final byte HEARTBEAT = 7;
  private static final byte HEARTBEAT_ACK = 8;
  private static final byte CATCH_UP = 9;
  private static final byte CATCH_UP_REPLY = 10;

  @Override
  public byte[] encode(Message message) {
    return KvWire.encode(out -> {
      if (message instanceof Prepare m) {
        out.writeByte(PREPARE);
        writeBallot(out, m.ballot());
        out.writeLong(m.fromSlot());
      } else if (message instanceof Promise m) {
        out.writeByte(PROMISE);
        writeBallot(out, m.ballot());
        out.writeLong(m.applied());
        out.writeInt(m.accepted().size());
        for (AcceptedValue v : m.accepted()) {
          out.writeLong(v.slot());
          writeBallot(out, v.ballot());
          KvWire.writeCommand(out, v.command());
        }
      } else if (message instanceof Accept m) {
        out.writeByte(ACCEPT);
        writeBallot(out, m.ballot());
        out.writeLong(m.slot());
        KvWire.writeCommand(out, m.command());
        out.writeLong(m.chosenUpTo());
      } else if (message instanceof Accepted m) {
        out.writeByte(ACCEPTED);
        writeBallot(out, m.ballot());
        out.writeLong(m.slot());
      } else if (message instanceof Reject m) {
        out.writeByte(REJECT);
        writeBallot(out, m.promised());
      } else if (message instanceof Learn m) {
        out.writeByte(LEARN);
        writeBallot(out, m.ballot());
        writeChosen(out, m.values());
      } else if (message instanceof Heartbeat m) {
        out.writeByte(HEARTBEAT);
        writeBallot(out, m.ballot());
        out.writeLong(m.chosenUpTo());
        out.writeLong(m.sentNanos());
      } else if (message instanceof HeartbeatAck m) {
        out.writeByte(HEARTBEAT_ACK);
        writeBallot(out, m.ballot());
        out.writeLong(m.sentNanos());
      } else if (message instanceof CatchUp m) {
        out.writeByte(CATCH_UP);
        out.writeLong(m.fromSlot());
      } else if (message instanceof CatchUpReply m) {
        out.writeByte(CATCH_UP_REPLY);
        out.writeLong(m.checkpointIndex());
        out.writeBoolean(m.checkpointState() != null);
        if (m.checkpointState() != null) KvWire.writeState(out, m.checkpointState());
        writeChosen(out, m.values());
      } else {
        throw new IllegalArgumentException("not a paxos message: " + message);
      }
    });
  }

  @Override
  public Message decode(byte[] bytes) {
    return KvWire.decode(bytes, "paxos message", in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case PREPARE -> new Prepare(readBallot(in), in.readLong());
        case PROMISE -> {
          Ballot b = readBallot(in);
          long applied = in.readLong();
          int n = KvWire.count(in, in.readInt(), 21);
          List<AcceptedValue> values = new ArrayList<>(n);
          for (int i = 0; i < n; i++) values.add(new AcceptedValue(in.readLong(), readBallot(in), KvWire.readCommand(in)));
          yield new Promise(b, applied, values);
        }
        case ACCEPT -> new Accept(readBallot(in), in.readLong(), KvWire.readCommand(in), in.readLong());
        case ACCEPTED -> new Accepted(readBallot(in), in.readLong());
        case REJECT -> new Reject(readBallot(in));
        case LEARN -> new Learn(readBallot(in), readChosen(in));
        case HEARTBEAT -> new Heartbeat(readBallot(in), in.readLong(), in.readLong());
        case HEARTBEAT_ACK -> new HeartbeatAck(readBallot(in), in.readLong());
        case CATCH_UP -> new CatchUp(in.readLong());
        case CATCH_UP_REPLY -> {
          long index = in.readLong();
          var state = in.readBoolean() ? KvWire.readState(in) : null;
          yield new CatchUpReply(index, state, readChosen(in));
        }
        default -> throw new IllegalArgumentException("unknown paxos message tag " + tag);
      };
    });
  }

  private static void writeChosen(DataOutputStream out, List<ChosenValue> values) throws IOException {
    out.writeInt(values.size());
    for (ChosenValue v : values) {
      out.writeLong(v.slot());
      KvWire.writeCommand(out, v.command());
    }
  }

  private static List<ChosenValue> readChosen(DataInputStream in) throws IOException {
    int n = KvWire.count(in, in.readInt(), 9);
    List<ChosenValue> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) values.add(new ChosenValue(in.readLong(), KvWire.readCommand(in)));
    return values;
  }
}
