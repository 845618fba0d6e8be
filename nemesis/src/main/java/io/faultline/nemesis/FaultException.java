package io.faultline.nemesis;

/** A fault the runtime could not apply or undo; the message is one line: what, on which node, why. */
public final class FaultException extends RuntimeException {
  public FaultException(String message) {
    super(message);
  }

  public FaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
