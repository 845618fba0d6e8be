package io.faultline.harness.cli;

import io.faultline.checkers.Checker;
import java.nio.file.Path;

/** Builds the optional Knossos checker for {@code --checker knossos}. */
final class KnossosBridge {
  private KnossosBridge() {}

  static Checker checker(String model, Object init, Path jar) {
    throw new UsageException("--checker knossos is not available in this build; use --checker faultline");
  }
}
