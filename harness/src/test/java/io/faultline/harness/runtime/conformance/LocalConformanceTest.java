package io.faultline.harness.runtime.conformance;

import io.faultline.nemesis.FaultKind;
import java.util.Set;

/** {@code --runtime local}: child processes on loopback, link proxies, signals, libfaketime. */
class LocalConformanceTest extends RuntimeConformance {
  @Override
  protected String runtime() {
    return "local";
  }

  @Override
  protected Set<FaultKind> kinds() {
    return allBut();
  }
}
