package io.faultline.harness.runtime;

/** A node that did not come up; the message names it and ends with the tail of its log. */
public final class NodeStartException extends Exception {
  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
