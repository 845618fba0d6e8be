package io.faultline.targets.raft;

import io.faultline.targets.kv.KvStore;
import io.faultline.targets.kv.KvWire;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The node's storage format: a log of records, each a tag byte and its fields. Replaying the records
 * in order rebuilds the persistent state:
 *
 * <ul>
 *   <li>{@code HardState(term, vote)}: the current term and the vote cast in it (null: none);
 *   <li>{@code Entries(entries)}: entries appended to the end of the log;
 *   <li>{@code TruncateFrom(index)}: entries from {@code index} on were removed (a conflict);
 *   <li>{@code Snapshot(index, term, state)}: the state machine as of {@code index} (an image as
 *       {@link KvStore} describes it: numbers and sets); the log before it is gone. Only ever the
 *       first record of a compacted log.
 * </ul>
 *
 * <p>Because storage keeps a prefix of the records appended since the last sync, recovery must accept
 * any prefix: a TruncateFrom without the Entries that followed it is a shorter log, which is fine,
 * since nothing unsynced was ever acknowledged.
 */
final class Records {
  private static final byte HARD_STATE = 1;
  private static final byte ENTRIES = 2;
  private static final byte TRUNCATE_FROM = 3;
  private static final byte SNAPSHOT = 4;

  private Records() {}

  static byte[] hardState(long term, String vote) {
    return KvWire.encode(out -> {
      out.writeByte(HARD_STATE);
      out.writeLong(term);
      KvWire.writeNullableString(out, vote);
    });
  }

  static byte[] entries(List<Entry> entries) {
    return KvWire.encode(out -> {
      out.writeByte(ENTRIES);
      Wire.writeEntries(out, entries);
    });
  }

  static byte[] truncateFrom(long index) {
    return KvWire.encode(out -> {
      out.writeByte(TRUNCATE_FROM);
      out.writeLong(index);
    });
  }

  static byte[] snapshot(long index, long term, SortedMap<String, Object> state) {
    return KvWire.encode(out -> {
      out.writeByte(SNAPSHOT);
      out.writeLong(index);
      out.writeLong(term);
      KvWire.writeState(out, state);
    });
  }

  /** What storage said, replayed. */
  record Recovered(long term, String vote, RaftLog log, SortedMap<String, Object> state) {}

  private sealed interface Record permits HardState, Entries, TruncateFrom, Snapshot {}

  private record HardState(long term, String vote) implements Record {}

  private record Entries(List<Entry> entries) implements Record {}

  private record TruncateFrom(long index) implements Record {}

  private record Snapshot(long index, long term, SortedMap<String, Object> state) implements Record {}

  private static Record decode(byte[] bytes, int position) {
    try {
      return decodeOrThrow(bytes, position);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Record decodeOrThrow(byte[] bytes, int position) {
    return KvWire.decode(bytes, "raft storage record " + position, in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case HARD_STATE -> new HardState(in.readLong(), KvWire.readNullableString(in));
        case ENTRIES -> new Entries(Wire.readEntries(in));
        case TRUNCATE_FROM -> new TruncateFrom(in.readLong());
        case SNAPSHOT -> new Snapshot(in.readLong(), in.readLong(), KvWire.readState(in));
        default -> throw new IllegalArgumentException("unknown record tag " + tag);
      };
    });
  }

  /**
   * Replays {@code records}. Throws IllegalStateException when they cannot have been written by a
   * node (undecodable bytes, a gap in the log, a term going back): storage that lies is fatal, not
   * repairable.
   */
  static Recovered recover(List<byte[]> records) {
    long term = 0;
    String vote = null;
    RaftLog log = new RaftLog();
    SortedMap<String, Object> state = Collections.unmodifiableSortedMap(new TreeMap<>());
    for (int at = 0; at < records.size(); at++) {
      Record record = decode(records.get(at), at);
      if (record instanceof HardState hs) {
        if (hs.term() < term) {
          throw new IllegalStateException("raft storage record " + at + ": term " + hs.term() + " after " + term);
        }
        term = hs.term();
        vote = hs.vote();
      } else if (record instanceof Entries es) {
        for (Entry e : es.entries()) {
          if (e.index() != log.lastIndex() + 1) {
            throw new IllegalStateException(
                "raft storage record " + at + ": entry " + e.index() + " after " + log.lastIndex());
          }
          log.append(e);
        }
      } else if (record instanceof TruncateFrom tf) {
        if (tf.index() <= log.snapshotIndex()) {
          throw new IllegalStateException(
              "raft storage record " + at + ": truncation at " + tf.index() + " inside the snapshot");
        }
        log.truncateFrom(tf.index());
      } else if (record instanceof Snapshot snap) {
        log.reset(snap.index(), snap.term());
        state = snap.state();
      }
    }
    return new Recovered(term, vote, log, state);
  }
}
