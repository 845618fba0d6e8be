package io.faultline.checkers;

import java.time.Duration;

/**
 * What a checker may know of the test besides its history, and the limits it must keep.
 *
 * @param testName the test's name, for messages
 * @param timeout wall time a check may take before it answers unknown; null for no limit
 * @param memoryBudgetBytes approximate memory a search may hold before it answers unknown
 * @param parallelism how many threads a checker may use for independent parts
 */
public record CheckContext(String testName, Duration timeout, long memoryBudgetBytes, int parallelism) {

  public CheckContext {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1");
    if (memoryBudgetBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
  }

  /** No time limit, half the heap, every core. */
  public static CheckContext defaults() {
    return new CheckContext("test", null, Runtime.getRuntime().maxMemory() / 2,
        Runtime.getRuntime().availableProcessors());
  }

  public CheckContext withTimeout(Duration t) {
    return new CheckContext(testName, t, memoryBudgetBytes, parallelism);
  }

  public CheckContext withMemoryBudget(long bytes) {
    return new CheckContext(testName, timeout, bytes, parallelism);
  }

  public CheckContext withParallelism(int threads) {
    return new CheckContext(testName, timeout, memoryBudgetBytes, threads);
  }

  /** The instant (System.nanoTime) by which a check must answer, or Long.MAX_VALUE. */
  public long deadlineNanos(long startNanos) {
    return timeout == null ? Long.MAX_VALUE : startNanos + timeout.toNanos();
  }
}
