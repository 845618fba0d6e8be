package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncProbeTest {
  @TempDir Path dir;

  @Test
  void measuresAndLeavesTheDirectoryAsItWas() throws IOException {
    double micros = FsyncProbe.medianFdatasyncMicros(dir, 5);
    assertTrue(Double.isFinite(micros) && micros >= 0, "median " + micros);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void refusesNoSamplesAndAMissingDirectory() {
    assertThrows(IllegalArgumentException.class, () -> FsyncProbe.medianFdatasyncMicros(dir, 0));
    assertThrows(IOException.class, () -> FsyncProbe.medianFdatasyncMicros(dir.resolve("missing"), 1));
  }
}
