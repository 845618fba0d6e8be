package io.faultline.harness.sim;

/**
 * The one place the simulator reads a real clock: to tell people how long a run took. Nothing it
 * returns may reach a history, a log or a decision; the determinism test allows this class alone.
 */
final class Stopwatch {
  private Stopwatch() {}

  static long wallNanos() {
    return System.nanoTime();
  }
}
