package io.faultline.checkers.linear;

import java.util.Arrays;
import java.util.Objects;

/**
 * One configuration of the search: the model state, which open determinate operations are already
 * linearized (a bit per slot), and how many indeterminate operations of each kind are still unused.
 * Everything that returned before the configuration's event is linearized by construction, so the
 * linearized set costs bits for the open window only, never for the whole history.
 *
 * <p>Equality ignores the trail: two configurations that differ only in how they got here have the
 * same future.
 */
final class Config {
  final Object state;
  final long[] bits;
  final int[] unused;
  final Trail trail;
  private final int hash;

  Config(Object state, long[] bits, int[] unused, Trail trail) {
    this.state = state;
    this.bits = bits;
    this.unused = unused;
    this.trail = trail;
    this.hash = 31 * (31 * Objects.hashCode(state) + Arrays.hashCode(bits)) + Arrays.hashCode(unused);
  }

  boolean has(int slot) {
    return (bits[slot >>> 6] & (1L << slot)) != 0;
  }

  long[] bitsWith(int slot) {
    long[] b = bits.clone();
    b[slot >>> 6] |= 1L << slot;
    return b;
  }

  long[] bitsWithout(int slot) {
    long[] b = bits.clone();
    b[slot >>> 6] &= ~(1L << slot);
    return b;
  }

  int[] unusedWith(int kind, int delta) {
    int[] u = unused.clone();
    u[kind] += delta;
    return u;
  }

  /** Same state and linearized window: the part of the key that domination does not weaken. */
  boolean sameCore(Config o) {
    return Objects.equals(state, o.state) && Arrays.equals(bits, o.bits);
  }

  int coreHash() {
    return 31 * Objects.hashCode(state) + Arrays.hashCode(bits);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Config c)) return false;
    return hash == c.hash && sameCore(c) && Arrays.equals(unused, c.unused);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Rough heap bytes, for the memory budget. */
  long weight() {
    return 48L + 16 + 8L * bits.length + 16 + 4L * unused.length + 32;
  }
}
