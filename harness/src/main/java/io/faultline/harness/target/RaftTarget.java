package io.faultline.harness.target;

import io.faultline.targets.raft.RaftNodeFactory;
import java.util.List;

/** The bundled Raft key/value store: registers, compare-and-set and grow-only sets, linearizable. */
public final class RaftTarget extends BundledTarget {
  public RaftTarget() {
    super(new RaftNodeFactory(), List.of("register", "set"));
  }
}
