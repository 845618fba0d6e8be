package io.faultline.harness.conformance;

import io.faultline.harness.target.Target;
import java.util.List;

/**
 * The bundled gossip store keeps the conformance kit's promises on the workloads whose guarantees
 * it makes (convergence, no acknowledged update lost): not the linearizable register and set,
 * which an AP store fails by design, as the CAP/BASE table shows.
 */
class GossipConformanceTest extends ConformanceTest {
  @Override
  protected String target() {
    return "gossip";
  }

  @Override
  protected List<String> workloads(Target target) {
    return List.of("lww-register", "g-set", "or-set", "pn-counter");
  }

  @Override
  protected int seeds() {
    return 40;
  }
}
