package io.faultline.checkers.txn;

import java.util.Arrays;

/**
 * Dense numbers for (key, value) pairs: an append or a written version, named by its key's number
 * and the value as recorded. Open addressing over two flat arrays, because a million transactions
 * name several million pairs and a HashMap of records would hold an object per pair besides.
 */
final class PairIndex {
  private static final Object NIL = new Object();

  private int[] keyOf = new int[16];
  private Object[] valueOf = new Object[16];
  /** Slot to id + 1; 0 is empty. */
  private int[] table = new int[32];
  private int size;

  int size() {
    return size;
  }

  int key(int id) {
    return keyOf[id];
  }

  /** The value as recorded (null for nil). */
  Object value(int id) {
    Object v = valueOf[id];
    return v == NIL ? null : v;
  }

  /** The pair's number, or -1 when it was never added. */
  int find(int key, Object value) {
    Object v = value == null ? NIL : value;
    int mask = table.length - 1;
    for (int slot = hash(key, v) & mask; ; slot = (slot + 1) & mask) {
      int id = table[slot] - 1;
      if (id < 0) return -1;
      if (keyOf[id] == key && valueOf[id].equals(v)) return id;
    }
  }

  /** The pair's number, adding it when new; a new pair gets the next number, {@link #size()} before. */
  int add(int key, Object value) {
    Object v = value == null ? NIL : value;
    int mask = table.length - 1;
    int slot = hash(key, v) & mask;
    for (; ; slot = (slot + 1) & mask) {
      int id = table[slot] - 1;
      if (id < 0) break;
      if (keyOf[id] == key && valueOf[id].equals(v)) return id;
    }
    if (size == keyOf.length) {
      keyOf = Arrays.copyOf(keyOf, size * 2);
      valueOf = Arrays.copyOf(valueOf, size * 2);
    }
    int id = size++;
    keyOf[id] = key;
    valueOf[id] = v;
    table[slot] = id + 1;
    if (size * 2 > table.length) rehash();
    return id;
  }

  private void rehash() {
    int[] t = new int[table.length * 2];
    int mask = t.length - 1;
    for (int id = 0; id < size; id++) {
      int slot = hash(keyOf[id], valueOf[id]) & mask;
      while (t[slot] != 0) slot = (slot + 1) & mask;
      t[slot] = id + 1;
    }
    table = t;
  }

  private static int hash(int key, Object v) {
    int h = key * 0x9E3779B9 ^ v.hashCode();
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
