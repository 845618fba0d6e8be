package io.faultline.checkers.linear;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The configurations already explored, per event. A configuration is new unless one already seen at
 * the same event has the same state and linearized window and at least as many unused indeterminate
 * operations of every kind (it dominates: whatever the new one can do, the old one could).
 */
final class Memo {
  private final HashMap<Key, Object> seen = new HashMap<>();
  private long entries;
  private long bytes;

  private record Key(int event, Config config) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.event == event && k.config.sameCore(config);
    }

    @Override
    public int hashCode() {
      return event * 0x9E3779B1 + config.coreHash();
    }
  }

  /** Records the configuration at the event; false when an explored one dominates it. */
  boolean add(int event, Config c) {
    Key key = new Key(event, c);
    Object prior = seen.get(key);
    if (prior == null) {
      seen.put(key, c);
      grow(c);
      return true;
    }
    if (prior instanceof Config p) {
      if (p.dominates(c)) return false;
      if (c.dominates(p)) {
        seen.put(key, c);
        return true;
      }
      List<Config> list = new ArrayList<>(2);
      list.add(p);
      list.add(c);
      seen.put(key, list);
      grow(c);
      return true;
    }
    @SuppressWarnings("unchecked")
    List<Config> list = (List<Config>) prior;
    for (Config p : list) {
      if (p.dominates(c)) return false;
    }
    list.removeIf(c::dominates);
    list.add(c);
    grow(c);
    return true;
  }

  private void grow(Config c) {
    entries++;
    bytes += c.weight() + 48;
  }

  /** Every configuration kept: those not dominated by another at the same event. */
  List<Config> kept() {
    List<Config> out = new ArrayList<>();
    for (Object v : seen.values()) {
      if (v instanceof Config c) {
        out.add(c);
      } else {
        @SuppressWarnings("unchecked")
        List<Config> list = (List<Config>) v;
        out.addAll(list);
      }
    }
    return out;
  }

  long entries() {
    return entries;
  }

  long bytes() {
    return bytes;
  }
}
