package io.faultline.checkers.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * The configurations already explored, per event. A configuration is new unless one already seen at
 * the same event has the same state and linearized window and at least as many unused indeterminate
 * operations of every kind (it dominates: whatever the new one can do, the old one could).
 *
 * <p>Only a memo that hands its configurations back ({@link #keepingConfigurations}) holds them; the
 * others hold the state, window and unused counts alone, so a configuration's trail (how it was
 * reached, a node per step) dies with the configuration. On a refuted history of a million
 * operations, where the depth-first search remembers every configuration it met, that is most of
 * the search's memory. And when the window fits one word and there are no indeterminate kinds to
 * count (most histories), an entry is three primitive slots in an open-addressing table, not a map
 * node, a key and two arrays: about 32 bytes instead of about 100.
 */
final class Memo {
  private final boolean keeping;
  /** Per key, the unused counts (or configurations, when keeping) not dominated: one, or a list. */
  private final HashMap<Key, Object> seen = new HashMap<>();
  private long entries;
  private long bytes;
  /**
   * The compact table, in shards by the hash's top bits, so that no array grows past a heap region
   * (large arrays are allocated apart and fragment the heap) and a resize copies one shard.
   */
  private Shard[] shards;
  private static final Object NULL_STATE = new Object();

  Memo() {
    this(false);
  }

  private Memo(boolean keeping) {
    this.keeping = keeping;
  }

  /** A memo whose {@link #kept} configurations are handed back: a breadth-first sweep's next event. */
  static Memo keepingConfigurations() {
    return new Memo(true);
  }

  /** The event, state and window: the part of a configuration that domination does not weaken. */
  private static final class Key {
    final int event;
    final Object state;
    final long[] bits;
    final int hash;

    Key(int event, Config c) {
      this.event = event;
      this.state = c.state;
      this.bits = c.bits;
      this.hash = event * 0x9E3779B1 + c.coreHash();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && k.event == event && Objects.equals(k.state, state)
          && Arrays.equals(k.bits, bits);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static int[] unusedOf(Object entry) {
    return entry instanceof Config c ? c.unused : (int[]) entry;
  }

  /** True when {@code a} has at least as many unused operations of every kind as {@code b}. */
  private static boolean dominates(int[] a, int[] b) {
    for (int k = 0; k < a.length; k++) {
      if (a[k] < b[k]) return false;
    }
    return true;
  }

  /** Records the configuration at the event; false when an explored one dominates it. */
  boolean add(int event, Config c) {
    if (!keeping && c.unused.length == 0 && c.bits.length == 1) return addCompact(event, c.state, c.bits[0]);
    Key key = new Key(event, c);
    Object entry = keeping ? c : c.unused;
    Object prior = seen.get(key);
    if (prior == null) {
      seen.put(key, entry);
      grow(c, true);
      return true;
    }
    if (!(prior instanceof ArrayList<?>)) {
      if (dominates(unusedOf(prior), c.unused)) return false;
      if (dominates(c.unused, unusedOf(prior))) {
        seen.put(key, entry);
        return true;
      }
      List<Object> list = new ArrayList<>(2);
      list.add(prior);
      list.add(entry);
      seen.put(key, list);
      grow(c, false);
      return true;
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) prior;
    for (Object p : list) {
      if (dominates(unusedOf(p), c.unused)) return false;
    }
    list.removeIf(p -> dominates(c.unused, unusedOf(p)));
    list.add(entry);
    grow(c, false);
    return true;
  }

  private static final int SHARD_BITS = 6;

  /** Event, state and one-word window per slot; a null state marks a free slot. */
  private static final class Shard {
    int[] events = new int[16];
    Object[] states = new Object[16];
    long[] bits = new long[16];
    int size;
  }

  private boolean addCompact(int event, Object state, long bits) {
    if (shards == null) {
      shards = new Shard[1 << SHARD_BITS];
      for (int k = 0; k < shards.length; k++) shards[k] = new Shard();
      bytes += shards.length * (16L * 16 + 64);
    }
    Object s = state == null ? NULL_STATE : state;
    int h = compactHash(event, s, bits);
    Shard shard = shards[h >>> (32 - SHARD_BITS)];
    if (shard.size * 4 >= shard.states.length * 3) resize(shard);
    int mask = shard.states.length - 1;
    int i = h & mask;
    while (shard.states[i] != null) {
      if (shard.events[i] == event && shard.bits[i] == bits && Objects.equals(shard.states[i], s)) return false;
      i = (i + 1) & mask;
    }
    shard.events[i] = event;
    shard.states[i] = s;
    shard.bits[i] = bits;
    shard.size++;
    entries++;
    return true;
  }

  private static int compactHash(int event, Object state, long bits) {
    long h = (event * 0x9E3779B97F4A7C15L) ^ (state.hashCode() * 0xC2B2AE3D27D4EB4FL) ^ (bits * 0x165667B19E3779F9L);
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  private void resize(Shard shard) {
    int[] events = shard.events;
    Object[] states = shard.states;
    long[] bitsOf = shard.bits;
    int capacity = states.length * 2;
    shard.events = new int[capacity];
    shard.states = new Object[capacity];
    shard.bits = new long[capacity];
    bytes += 16L * states.length;
    int mask = capacity - 1;
    for (int j = 0; j < states.length; j++) {
      if (states[j] == null) continue;
      int i = compactHash(events[j], states[j], bitsOf[j]) & mask;
      while (shard.states[i] != null) i = (i + 1) & mask;
      shard.events[i] = events[j];
      shard.states[i] = states[j];
      shard.bits[i] = bitsOf[j];
    }
  }

  private void grow(Config c, boolean newKey) {
    entries++;
    long arrays = 16 + 4L * c.unused.length;
    if (newKey) arrays += 32 + 32 + 16 + 8L * c.bits.length; // the map's node, the key and the window
    bytes += keeping ? c.weight() + 48 : arrays + 8;
  }

  /** Every configuration kept: those not dominated by another at the same event. */
  List<Config> kept() {
    if (!keeping) throw new IllegalStateException("this memo does not keep its configurations");
    List<Config> out = new ArrayList<>();
    for (Object v : seen.values()) {
      if (v instanceof ArrayList<?> list) {
        for (Object c : list) out.add((Config) c);
      } else {
        out.add((Config) v);
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
