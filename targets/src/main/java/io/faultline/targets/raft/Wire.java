package io.faultline.targets.raft;

import io.faultline.targets.kv.KvWire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Raft's log entries on the wire and in storage: index, term and the command ({@link KvWire}). */
final class Wire {
  private Wire() {}

  static void writeEntries(DataOutputStream out, List<Entry> entries) throws IOException {
    out.writeInt(entries.size());
    for (Entry e : entries) {
      out.writeLong(e.index());
      out.writeLong(e.term());
      KvWire.writeCommand(out, e.command());
    }
  }

  static List<Entry> readEntries(DataInputStream in) throws IOException {
    int n = KvWire.count(in, in.readInt(), 17);
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long index = in.readLong();
      long term = in.readLong();
      entries.add(new Entry(index, term, KvWire.readCommand(in)));
    }
    return entries;
  }
}
