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

  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
