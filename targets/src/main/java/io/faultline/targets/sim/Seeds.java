package io.faultline.targets.sim;

import java.util.Random;

/**
 * Independent random streams derived from one seed, one per purpose (network, faults, clients,
 * each node incarnation). Separate streams keep one purpose's draws from shifting another's: a
 * node that draws one more number does not change the fault schedule.
 */
public final class Seeds {
  private Seeds() {}

  public static Random stream(long seed, String purpose, long index) {
    return new Random(derive(seed, purpose, index));
  }

  public static long derive(long seed, String purpose, long index) {
    long h = 0x6A09E667F3BCC909L;
    // String.hashCode is specified by the language, so this is the same on every JVM.
    h = mix(h ^ purpose.hashCode());
    h = mix(h ^ seed);
    return mix(h + index * 0x9E3779B97F4A7C15L);
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
