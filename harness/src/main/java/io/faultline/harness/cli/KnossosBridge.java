package io.faultline.harness.cli;

import io.faultline.checkers.Checker;
import io.faultline.checkers.knossos.KnossosChecker;
import io.faultline.checkers.knossos.KnossosUnavailableException;
import java.nio.file.Path;

/** Builds the optional Knossos checker for {@code --checker knossos}; a missing Knossos is bad input. */
final class KnossosBridge {
  private KnossosBridge() {}

  static Checker checker(String model, Object init, Path jar) {
    try {
      KnossosChecker knossos = new KnossosChecker(model, init, jar);
      return (context, history) -> {
        try {
          return knossos.check(context, history);
        } catch (KnossosUnavailableException e) {
          throw new UsageException(e.getMessage());
        }
      };
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
