package io.faultline.harness.runtime.conformance;

import io.faultline.harness.target.BundledTarget;
import io.faultline.harness.target.Layout;
import java.util.List;
import java.util.Optional;

/** The conformance probe as a target, registered for the tests only; leaderless. */
public final class ProbeTarget extends BundledTarget {
  public ProbeTarget() {
    super(new ProbeNodeFactory(), List.of("register"));
  }

  @Override
  public boolean hasLeader() {
    return false;
  }

  @Override
  public Optional<String> leader(Layout layout) {
    return Optional.empty();
  }
}
