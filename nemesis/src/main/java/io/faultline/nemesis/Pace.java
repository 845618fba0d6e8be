package io.faultline.nemesis;

import java.time.Duration;

/**
 * How fast a runtime can apply faults, which a {@link NemesisSchedule} keeps to. The schedule is
 * drawn by the same algorithm from the same seed on every runtime; only these gaps differ. On real
 * processes a JVM takes about a second to restart, so flaps go by seconds, and clock steps by
 * fractions of one; on virtual time both go by milliseconds, which is what catches a leader whose
 * lease trusts a wall clock that keeps stepping back.
 *
 * @param initialQuiet how long every kind waits before its first fault: time to elect a leader
 * @param strobeGapMin the shortest gap between two clock steps of a strobe
 * @param strobeGapMax the longest such gap
 * @param flapGapMin the shortest gap between two kills of a kill flap
 * @param flapGapMax the longest such gap
 * @param restartMin how soon, at least, a flapped node is restarted
 * @param restartMax how soon, at most
 */
public record Pace(Duration initialQuiet, Duration strobeGapMin, Duration strobeGapMax, Duration flapGapMin,
    Duration flapGapMax, Duration restartMin, Duration restartMax) {

  /**
   * Real processes: strobes a quarter of a second to a second apart (libfaketime, uncached, applies
   * an offset at the node's next clock reading), flaps every few seconds (a JVM restarts in about one).
   */
  public static final Pace REAL_TIME = new Pace(Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofMillis(1500));

  /** The simulator: strobes every 10 to 200 ms, a kill every 50 to 300 ms of a flap, restarts 10 to 100 ms later. */
  public static final Pace VIRTUAL_TIME = new Pace(Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(200),
      Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(10), Duration.ofMillis(100));

  public Pace {
    for (Duration d : new Duration[] {initialQuiet, strobeGapMin, strobeGapMax, flapGapMin, flapGapMax, restartMin, restartMax}) {
      if (d.isNegative()) throw new IllegalArgumentException("a pace's gaps must not be negative: " + d);
    }
    if (strobeGapMax.compareTo(strobeGapMin) < 0 || flapGapMax.compareTo(flapGapMin) < 0 || restartMax.compareTo(restartMin) < 0) {
      throw new IllegalArgumentException("a pace's maximum gap must not be below its minimum");
    }
    if (strobeGapMin.isZero() || flapGapMin.isZero()) throw new IllegalArgumentException("strobe and flap gaps must be positive");
  }
}
