package io.faultline.targets.real;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Measures what one durable append costs on a device, so that a benchmark can print its
 * throughput beside the fsync time that bounds it (a node that syncs per request cannot beat
 * 1 / fsync time without group commit).
 */
public final class FsyncProbe {
  private static final int RECORD_BYTES = 64;

  private FsyncProbe() {}

  /**
   * The median time, in microseconds, of {@code FileChannel.force(false)} (fdatasync) after a
   * {@value #RECORD_BYTES}-byte append, over {@code samples} appends to a temporary file in
   * {@code dir}, which is removed afterwards.
   *
   * @throws IllegalArgumentException if {@code samples} is below 1
   * @throws IOException if {@code dir} cannot hold the temporary file
   */
  public static double medianFdatasyncMicros(Path dir, int samples) throws IOException {
    if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    Path file = Files.createTempFile(dir, "fsync-probe", ".tmp");
    long[] nanos = new long[samples];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
      // The first force also writes the file's creation; measure appends to an existing file.
      channel.write(record);
      channel.force(true);
      for (int i = 0; i < samples; i++) {
        record.clear();
        while (record.hasRemaining()) channel.write(record);
        long start = System.nanoTime();
        channel.force(false);
        nanos[i] = System.nanoTime() - start;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    Arrays.sort(nanos);
    double median = samples % 2 == 1
        ? nanos[samples / 2]
        : (nanos[samples / 2 - 1] + nanos[samples / 2]) / 2.0;
    return median / 1000.0;
  }
}
