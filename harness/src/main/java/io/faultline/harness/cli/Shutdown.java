package io.faultline.harness.cli;

/**
 * Whether the JVM is shutting down because of a signal: then {@link Main#main} must not call
 * {@code System.exit}, which would wait forever for the shutdown hook that is waiting for it.
 */
final class Shutdown {
  private static volatile boolean inProgress;

  private Shutdown() {}

  static void begin() {
    inProgress = true;
  }

  static boolean inProgress() {
    return inProgress;
  }
}
