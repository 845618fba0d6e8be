package io.faultline.targets.raft;

import io.faultline.targets.kv.KvWire;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;

/**
 * Raft's messages as bytes: one tag byte naming the message, then its fields in declaration order.
 * Hand-written rather than reflective, so that the format is visible here and stable.
 */
final class RaftCodec implements MessageCodec {
  private static final byte REQUEST_VOTE = 1;
  private static final byte REQUEST_VOTE_RESPONSE = 2;
  private static final byte APPEND_ENTRIES = 3;
  private static final byte APPEND_ENTRIES_RESPONSE = 4;
  private static final byte INSTALL_SNAPSHOT = 5;
  private static final byte INSTALL_SNAPSHOT_RESPONSE = 6;

  @Override
  public byte[] encode(Message message) {
    return KvWire.encode(out -> {
      if (message instanceof RequestVote m) {
        out.writeByte(REQUEST_VOTE);
        out.writeLong(m.term());
        KvWire.writeString(out, m.candidate());
        out.writeLong(m.lastLogIndex());
        out.writeLong(m.lastLogTerm());
        out.writeBoolean(m.preVote());
      } else if (message instanceof RequestVoteResponse m) {
        out.writeByte(REQUEST_VOTE_RESPONSE);
        out.writeLong(m.term());
        out.writeBoolean(m.granted());
        out.writeBoolean(m.preVote());
      } else if (message instanceof AppendEntries m) {
        out.writeByte(APPEND_ENTRIES);
        out.writeLong(m.term());
        KvWire.writeString(out, m.leader());
        out.writeLong(m.prevLogIndex());
        out.writeLong(m.prevLogTerm());
        Wire.writeEntries(out, m.entries());
        out.writeLong(m.leaderCommit());
        out.writeLong(m.round());
      } else if (message instanceof AppendEntriesResponse m) {
        out.writeByte(APPEND_ENTRIES_RESPONSE);
        out.writeLong(m.term());
        out.writeBoolean(m.success());
        out.writeLong(m.matchIndex());
        out.writeLong(m.conflictIndex());
        out.writeLong(m.conflictTerm());
        out.writeLong(m.round());
      } else if (message instanceof InstallSnapshot m) {
        out.writeByte(INSTALL_SNAPSHOT);
        out.writeLong(m.term());
        KvWire.writeString(out, m.leader());
        out.writeLong(m.lastIncludedIndex());
        out.writeLong(m.lastIncludedTerm());
        KvWire.writeState(out, m.state());
        out.writeLong(m.round());
      } else if (message instanceof InstallSnapshotResponse m) {
        out.writeByte(INSTALL_SNAPSHOT_RESPONSE);
        out.writeLong(m.term());
        out.writeLong(m.lastIncludedIndex());
        out.writeLong(m.round());
      } else {
        throw new IllegalArgumentException("not a raft message: " + message);
      }
    });
  }

  @Override
  public Message decode(byte[] bytes) {
    return KvWire.decode(bytes, "raft message", in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case REQUEST_VOTE -> new RequestVote(
            in.readLong(), KvWire.readString(in), in.readLong(), in.readLong(), in.readBoolean());
        case REQUEST_VOTE_RESPONSE -> new RequestVoteResponse(
            in.readLong(), in.readBoolean(), in.readBoolean());
        case APPEND_ENTRIES -> new AppendEntries(
            in.readLong(), KvWire.readString(in), in.readLong(), in.readLong(),
            Wire.readEntries(in), in.readLong(), in.readLong());
        case APPEND_ENTRIES_RESPONSE -> new AppendEntriesResponse(
            in.readLong(), in.readBoolean(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong());
        case INSTALL_SNAPSHOT -> new InstallSnapshot(
            in.readLong(), KvWire.readString(in), in.readLong(), in.readLong(),
            KvWire.readState(in), in.readLong());
        case INSTALL_SNAPSHOT_RESPONSE -> new InstallSnapshotResponse(
            in.readLong(), in.readLong(), in.readLong());
        default -> throw new IllegalArgumentException("unknown tag " + tag);
      };
    });
  }
}
