package io.faultline.targets.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory replicated log: the entries after the last snapshot, plus the index and term of the
 * last entry the snapshot covers. Index 0 with term 0 is the empty prefix every log shares. Nothing
 * here touches storage; the node mirrors each change into a record itself.
 */
final class RaftLog {
  /** What {@link #term} answers for an index this log cannot speak for. */
  static final long UNKNOWN = -1;

  private long snapshotIndex;
  private long snapshotTerm;
  private final ArrayList<Entry> entries = new ArrayList<>();

  long snapshotIndex() {
    return snapshotIndex;
  }

  long snapshotTerm() {
    return snapshotTerm;
  }

  long lastIndex() {
    return snapshotIndex + entries.size();
  }

  long lastTerm() {
    return entries.isEmpty() ? snapshotTerm : entries.get(entries.size() - 1).term();
  }

  /** The term of the entry at {@code index}, or {@link #UNKNOWN} if compacted away or absent. */
  long term(long index) {
    if (index == snapshotIndex) {
      return snapshotTerm;
    }
    if (index < snapshotIndex || index > lastIndex()) {
      return UNKNOWN;
    }
    return entries.get((int) (index - snapshotIndex - 1)).term();
  }

  Entry entry(long index) {
    if (index <= snapshotIndex || index > lastIndex()) {
      throw new IllegalArgumentException(
          "no entry " + index + " in log (" + snapshotIndex + ", " + lastIndex() + "]");
    }
    return entries.get((int) (index - snapshotIndex - 1));
  }

  /** Up to {@code max} entries starting at {@code from} (which must be after the snapshot). */
  List<Entry> slice(long from, int max) {
    if (from <= snapshotIndex) {
      throw new IllegalArgumentException("entry " + from + " is compacted (snapshot " + snapshotIndex + ")");
    }
    long to = Math.min(lastIndex(), from + max - 1);
    if (to < from) {
      return List.of();
    }
    return new ArrayList<>(entries.subList((int) (from - snapshotIndex - 1), (int) (to - snapshotIndex)));
  }

  /** Every entry after the snapshot, for rewriting storage. */
  List<Entry> retained() {
    return new ArrayList<>(entries);
  }

  void append(Entry e) {
    if (e.index() != lastIndex() + 1) {
      throw new IllegalStateException("log gap: appending " + e.index() + " after " + lastIndex());
    }
    // Terms never decrease along a log (a leader only appends in its own, newest term).
    assert e.term() >= lastTerm() : "term " + e.term() + " after " + lastTerm();
    entries.add(e);
  }

  /** Removes the entries from {@code index} on. */
  void truncateFrom(long index) {
    if (index <= snapshotIndex) {
      throw new IllegalStateException("cannot truncate at " + index + ", inside snapshot " + snapshotIndex);
    }
    while (lastIndex() >= index) {
      entries.remove(entries.size() - 1);
    }
  }

  /** The first index of the run of entries with the same term as {@code index}, for a conflict hint. */
  long firstIndexOfTermAt(long index) {
    long t = term(index);
    long i = index;
    while (i - 1 > snapshotIndex && term(i - 1) == t) {
      i--;
    }
    return i;
  }

  /** Drops the entries up to {@code index}, which the snapshot now covers. */
  void compact(long index, long term) {
    if (index < snapshotIndex || index > lastIndex() || term(index) != term) {
      throw new IllegalStateException("cannot compact to " + index + "/" + term);
    }
    entries.subList(0, (int) (index - snapshotIndex)).clear();
    snapshotIndex = index;
    snapshotTerm = term;
  }

  /** Discards the whole log: a snapshot at {@code index} replaces it. */
  void reset(long index, long term) {
    entries.clear();
    snapshotIndex = index;
    snapshotTerm = term;
  }
}
