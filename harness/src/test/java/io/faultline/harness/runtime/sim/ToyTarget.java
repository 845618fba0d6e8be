package io.faultline.harness.runtime.sim;

import io.faultline.harness.target.BundledTarget;
import java.util.List;

/** The toy register store as a target, registered for the tests only: the simulator without Raft. */
public final class ToyTarget extends BundledTarget {
  public ToyTarget() {
    super(new ToyNodeFactory(), List.of("register"));
  }
}
