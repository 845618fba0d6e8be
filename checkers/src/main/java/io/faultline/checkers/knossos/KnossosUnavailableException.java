package io.faultline.checkers.knossos;

/**
 * Knossos cannot be used: no jar was given and none is on the classpath, the given path is not a
 * Knossos jar, or its namespaces fail to load. The message is one line meant for the person running
 * the check, saying how to get a usable jar; a command line prints it and exits with
 * {@link #EXIT_CODE}, since no verdict (not even unknown) was reached.
 */
public final class KnossosUnavailableException extends IllegalArgumentException {
  /** The exit code a command line uses for this error, apart from Jepsen's 0, 1 and 2 verdicts. */
  public static final int EXIT_CODE = 254;

  KnossosUnavailableException(String message) {
    super(message);
  }

  KnossosUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
