package io.faultline.targets.node;

/** A pending timer; its tag says to the node what it was for. */
public interface Timer {
  Object tag();

  /** Cancels the timer; it will not be delivered. Idempotent; harmless after it has fired. */
  void cancel();
}
