package io.faultline.harness.runtime.conformance;

import io.faultline.nemesis.FaultKind;
import java.util.Set;

/** {@code --runtime sim}: the same assertions on virtual machines, disks, network and time. */
class SimConformanceTest extends RuntimeConformance {
  @Override
  protected String runtime() {
    return "sim";
  }

  @Override
  protected Set<FaultKind> kinds() {
    return allBut();
  }
}
