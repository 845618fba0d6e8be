package io.faultline.workloads.generator;

import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * What a generator may know when it is asked.
 *
 * @param timeNanos nanoseconds since the test began, on the interpreter's clock (virtual in the
 *     simulator)
 * @param freeProcesses the processes with no operation open or reserved, in ascending order
 * @param workers how many workers (client threads) there are in all, busy or free
 * @param random the run's seeded source for the generator's choices; the interpreter owns it and
 *     asks in a deterministic order, which is what makes the choices repeatable
 */
public record Context(long timeNanos, List<Long> freeProcesses, int workers, Random random) {
  public Context {
    Objects.requireNonNull(random, "random");
    freeProcesses = List.copyOf(freeProcesses);
    if (freeProcesses.size() > workers) {
      throw new IllegalArgumentException(freeProcesses.size() + " free processes but only " + workers + " workers");
    }
  }

  /** True when no worker has an operation open or reserved. */
  public boolean allFree() {
    return freeProcesses.size() == workers;
  }

  /** A free process chosen with {@link #random()}, or null when none is free. */
  public Long someFreeProcess() {
    if (freeProcesses.isEmpty()) return null;
    return freeProcesses.get(random.nextInt(freeProcesses.size()));
  }
}
