package io.faultline.harness.runtime;

/**
 * The machine cannot run the test as asked: no Docker engine, no {@code ip} or {@code iptables}
 * binary, an unreachable host, a host key that does not match. Its message is one line naming the
 * problem and the fix. It is neither bad input nor a verdict on the system: a run that meets it
 * exits 255 with that line, having undone what it made.
 */
public final class EnvironmentException extends RuntimeException {
  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
