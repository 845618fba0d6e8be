package io.faultline.targets.raft;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The replicated state machine: keys to Long values, changed only by committed commands, in order. */
final class KvStore {
  private final TreeMap<String, Long> data;

  KvStore(Map<String, Long> initial) {
    this.data = new TreeMap<>(initial);
  }

  Long get(String key) {
    return data.get(key);
  }

  int size() {
    return data.size();
  }

  /** Applies a committed command; returns null when it took effect, else why it changed nothing. */
  String apply(Command command) {
    if (command instanceof Command.Put put) {
      data.put(put.key(), put.value());
      return null;
    }
    if (command instanceof Command.Cas cas) {
      Long current = data.get(cas.key());
      if (current == null || current != cas.expected()) {
        return "cas mismatch: expected " + cas.expected() + ", found " + (current == null ? "nothing" : current);
      }
      data.put(cas.key(), cas.value());
      return null;
    }
    return null; // a no-op changes nothing by design
  }

  /** An unmodifiable copy of the current state, for a snapshot. */
  SortedMap<String, Long> image() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(data));
  }
}
