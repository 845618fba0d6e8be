package io.faultline.checkers.txn;

import java.util.Arrays;

/** A growable array of ints: the graph of a million transactions cannot afford a boxed Integer an edge. */
final class IntList {
  private int[] a;
  private int size;

  IntList() {
    this(16);
  }

  IntList(int capacity) {
    a = new int[Math.max(4, capacity)];
  }

  void add(int v) {
    if (size == a.length) a = Arrays.copyOf(a, a.length + (a.length >> 1) + 16);
    a[size++] = v;
  }

  int get(int i) {
    return a[i];
  }

  void set(int i, int v) {
    a[i] = v;
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  void truncate(int newSize) {
    size = newSize;
  }

  int[] toArray() {
    return Arrays.copyOf(a, size);
  }
}
