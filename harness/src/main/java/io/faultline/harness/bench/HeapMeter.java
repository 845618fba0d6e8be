package io.faultline.harness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Peak heap in use during a measured section: the sum of every heap pool's peak since reset. */
final class HeapMeter {
  private HeapMeter() {}

  /** Collects garbage and resets the pools' peaks, so the next reading covers what follows. */
  static void reset() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }
  }

  /** Bytes: an upper bound on the heap used at once since {@link #reset}. */
  static long peakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /**
   * Runs the section while a thread forces a collection every {@code everyMillis} and notes the heap
   * in use after it: the most the section held live at once, sampled (a short-lived peak between two
   * samples is missed). The peak of {@link #peakBytes} counts garbage not yet collected as well.
   *
   * @return the largest live heap seen, in bytes
   */
  static long sampleLive(Runnable section, long everyMillis) {
    long[] max = {0};
    Runtime rt = Runtime.getRuntime();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        max[0] = Math.max(max[0], rt.totalMemory() - rt.freeMemory());
        try {
          Thread.sleep(everyMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "live-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      section.run();
    } finally {
      sampler.interrupt();
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return max[0];
  }

  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
